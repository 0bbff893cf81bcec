// The one way the web server calls the API: node:http on kept-alive connections, the answer read
// whole (JSON answers are small; bodies are capped at 64 KB on the way in). fetch, with Next's
// instrumentation around it, cost about a millisecond of CPU more per call (decision 013). Plain
// JavaScript: server.mjs's fast reads and the route handlers (src/lib/api.server.ts) both use it.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { API_TIMEOUT_MS } from "./api-url.mjs";

/**
 * @typedef {object} ApiAnswer
 * @property {number} status
 * @property {import("node:http").IncomingHttpHeaders} headers
 * @property {string[]} rawHeaders Names and values in turn, as they came.
 * @property {Buffer<ArrayBuffer> | null} body None for 204, 304 and HEAD.
 */

/**
 * Calls the API; rejects when the call fails on the way (refused, reset, silent longer than
 * API_TIMEOUT_MS), so the caller can answer 503.
 * @param {URL} target
 * @param {{ method?: string, headers: Record<string, string>, body?: string | null, signal?: AbortSignal,
 *   agents: { "http:": import("node:http").Agent, "https:": import("node:https").Agent } }} options
 * @returns {Promise<ApiAnswer>}
 */
export function callApiWhole(target, { method = "GET", headers, body = null, signal, agents }) {
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  // Stated, because node:http would send a DELETE's body neither chunked nor with a length.
  const outgoingHeaders = body === null ? headers : { ...headers, "content-length": String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const outgoing = send(
      target,
      {
        method,
        headers: outgoingHeaders,
        agent: agents[target.protocol === "https:" ? "https:" : "http:"],
        ...(signal && { signal }),
      },
      (incoming) => {
        /** @type {Buffer[]} */
        const chunks = [];
        incoming.on("data", (chunk) => chunks.push(chunk));
        incoming.on("error", reject);
        incoming.on("end", () => {
          const status = incoming.statusCode ?? 502;
          const hasBody = status !== 204 && status !== 304 && method !== "HEAD";
          resolve({
            status,
            headers: incoming.headers,
            rawHeaders: incoming.rawHeaders,
            body: hasBody ? Buffer.concat(chunks) : null,
          });
        });
      },
    );
    outgoing.setTimeout(API_TIMEOUT_MS, () => outgoing.destroy(new Error("The API did not answer in time")));
    outgoing.on("error", reject);
    outgoing.end(body ?? undefined);
  });
}
