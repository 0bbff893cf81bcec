// Where the API is and how the web server reaches it. Plain JavaScript: server.mjs (its fast
// reads) and the route handlers (src/lib/env.server.ts, src/lib/api.server.ts) both use it.
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";

/**
 * API_URL, else http://127.0.0.1:API_PORT (4000), without a trailing slash.
 * @param {{ API_URL?: string | undefined, API_PORT?: string | number | undefined }} env
 * @returns {string}
 */
export function resolveApiUrl({ API_URL, API_PORT }) {
  return (API_URL || `http://127.0.0.1:${API_PORT || 4000}`).replace(/\/+$/, "");
}

/**
 * How long an API call may stay silent. Callers set it as a socket timeout, not with
 * AbortSignal.timeout, whose 15-second timer per call kept every call's objects alive until they
 * were promoted to V8's old generation (docs/decisions/013-bff-fast-reads.md).
 */
export const API_TIMEOUT_MS = 15_000;

/** Kept-alive connections to the API, by protocol: every BFF request makes one API call. */
export function createApiAgents() {
  return {
    "http:": new HttpAgent({ keepAlive: true, maxSockets: 256 }),
    "https:": new HttpsAgent({ keepAlive: true, maxSockets: 256 }),
  };
}
