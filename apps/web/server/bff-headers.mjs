// Which headers cross the backend-for-frontend hop, and the headers every answer carries. Plain
// JavaScript: next.config.ts, the BFF route handlers (src/lib/bff.server.ts) and server.mjs's fast
// reads (server/fast-reads.mjs) all use it, so the two ways of answering cannot drift apart.

/** @typedef {{ key: string, value: string }} HeaderRule */

/**
 * Browser request headers passed on to the API.
 * @type {readonly string[]}
 */
export const FORWARDED_REQUEST_HEADERS = [
  "content-type",
  "if-match",
  "if-none-match",
  "idempotency-key",
  "user-agent",
  "last-event-id",
  "accept",
];

/**
 * API response headers passed back to the browser (Location is rewritten, see below).
 * @type {readonly string[]}
 */
export const RELAYED_RESPONSE_HEADERS = ["content-type", "etag", "retry-after", "www-authenticate"];

/**
 * An API location (`/api/v1/todos/…`, absolute or not) as its BFF twin (`/api/todos/…`).
 * @param {string} apiLocation
 * @returns {string}
 */
export function bffLocation(apiLocation) {
  return apiLocation.replace(/^(?:https?:\/\/[^/]+)?\/api\/v1\//, "/api/");
}

/**
 * Headers every response carries. The Content-Security-Policy of pages needs a fresh nonce per
 * request, so src/proxy.ts sets it; BFF JSON answers get a deny-everything policy.
 * @type {HeaderRule[]}
 */
export const SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), interest-cohort=()" },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** @type {HeaderRule[]} */
export const BFF_HEADERS = [
  { key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" },
  { key: "Cache-Control", value: "no-store" },
];
