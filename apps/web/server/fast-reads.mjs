// The two reads the web app makes most, answered by server.mjs itself, before Next's router.
//
// Next.js spends milliseconds of CPU on every request, even on an immediate 401, and a list relayed
// through a route handler cost the web server more again; under a steady load that queueing set
// the BFF's p99 (figures: decision 013). `GET /api/todos` and `GET /api/lists` with an access token that is
// not due for refresh need nothing of Next: read the cookie, call the API with the token, relay the
// answer with the BFF's headers (server/bff-headers.mjs, which the route handlers use too).
//
// Everything else falls through to the route handlers (src/lib/bff.server.ts) untouched: no
// access token, one due for refresh, a 401 from the API (refresh once and retry), an API that
// cannot be reached (503). So this path never refreshes and never writes a cookie, and a GET has
// no body, so handing the same request to Next afterwards is safe. Decision 013.
import { isIP } from "node:net";
import { gzipSync } from "node:zlib";
import { callApiWhole } from "./api-call.mjs";
import { createApiAgents } from "./api-url.mjs";
import {
  BFF_HEADERS,
  bffLocation,
  FORWARDED_REQUEST_HEADERS,
  RELAYED_RESPONSE_HEADERS,
  SECURITY_HEADERS,
} from "./bff-headers.mjs";
import { ACCESS_COOKIE, cookieName, isHttps, REFRESH_COOKIE, shouldRefresh } from "./session-tokens.mjs";

/** BFF path → API path, for GETs whose route handler is a plain `forwardToApi`. */
const FAST_READS = new Map([
  ["/api/todos", "/api/v1/todos"],
  ["/api/lists", "/api/v1/lists"],
]);

/** The headers Next adds to every `/api/…` answer (next.config.ts), as one object built once. */
const FIXED_HEADERS = Object.fromEntries(
  [...SECURITY_HEADERS, ...BFF_HEADERS].map(({ key, value }) => [key.toLowerCase(), value]),
);

/** Next compresses answers of 1 KB and more (a 50-todo page is about 15 KB, 1 KB gzipped). */
const COMPRESS_FROM_BYTES = 1024;

/**
 * Returns `serveFastRead(request, response)`, which resolves `true` once it has answered, or
 * `false` without having written anything, when Next should answer instead. `apiUrl` is
 * resolveApiUrl's (no trailing slash); paths are joined to it as text, as the route handlers do,
 * so an API_URL with a path keeps it.
 * @param {string} apiUrl
 * @returns {(request: import("node:http").IncomingMessage, response: import("node:http").ServerResponse) => Promise<boolean>}
 */
export function createFastReads(apiUrl) {
  const agents = createApiAgents();

  return async function serveFastRead(request, response) {
    if (request.method !== "GET" || !request.url?.startsWith("/api/")) return false;
    const url = new URL(request.url, "http://web.invalid");
    const apiPath = FAST_READS.get(url.pathname);
    if (!apiPath) return false;

    const secure = isHttps(
      request.headers["x-forwarded-proto"],
      Boolean(/** @type {import("node:tls").TLSSocket} */ (request.socket)?.encrypted),
    );
    const cookies = parseCookies(request.headers.cookie);
    const accessToken = cookies.get(cookieName(ACCESS_COOKIE, secure)) || null;
    const refreshToken = cookies.get(cookieName(REFRESH_COOKIE, secure)) || null;
    if (!accessToken || (refreshToken && shouldRefresh(accessToken))) return false;

    /** @type {Record<string, string>} */
    const headers = { accept: "application/json" };
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers[name];
      if (typeof value === "string" && value) headers[name] = value;
    }
    // server.mjs has already replaced X-Forwarded-For with the one address it believes.
    const address = request.headers["x-forwarded-for"];
    if (typeof address === "string" && isIP(address)) headers["x-forwarded-for"] = address;
    headers.authorization = `Bearer ${accessToken}`;

    // A call that fails on the way is Next's to answer (503).
    const answer = await callApiWhole(new URL(`${apiUrl}${apiPath}${url.search}`), { headers, agents }).catch(
      () => null,
    );
    if (answer === null || answer.status === 401) return false;

    /** @type {Record<string, string>} */
    const relayed = { ...FIXED_HEADERS };
    for (const name of RELAYED_RESPONSE_HEADERS) {
      const value = answer.headers[name];
      if (typeof value === "string") relayed[name] = value;
    }
    if (typeof answer.headers.location === "string") relayed.location = bffLocation(answer.headers.location);
    relayed.vary = "Accept-Encoding";
    let body = answer.body;
    if (body && body.length >= COMPRESS_FROM_BYTES && acceptsGzip(request.headers["accept-encoding"])) {
      body = gzipSync(body);
      relayed["content-encoding"] = "gzip";
    }
    if (body) relayed["content-length"] = String(body.length);
    response.writeHead(answer.status, relayed);
    response.end(body ?? undefined);
    return true;
  };
}

/**
 * Whether Accept-Encoding allows gzip (listed, or `*`, and not with q=0).
 * @param {string | undefined} header
 * @returns {boolean}
 */
export function acceptsGzip(header) {
  if (typeof header !== "string") return false;
  return header.split(",").some((entry) => {
    const [coding = "", ...parameters] = entry.split(";").map((part) => part.trim().toLowerCase());
    if (coding !== "gzip" && coding !== "*") return false;
    const quality = parameters.find((parameter) => parameter.startsWith("q="));
    return quality === undefined || Number(quality.slice(2)) > 0;
  });
}

/**
 * A Cookie header as Next reads it: `; `-separated pairs, values URI-decoded, the last one wins.
 * Pairs without `=` are left out (Next reads them as "true", which is no session either).
 * @param {string | undefined} header
 * @returns {Map<string, string>}
 */
export function parseCookies(header) {
  /** @type {Map<string, string>} */
  const cookies = new Map();
  if (!header) return cookies;
  for (const pair of header.split(/; */)) {
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    try {
      cookies.set(pair.slice(0, at), decodeURIComponent(pair.slice(at + 1)));
    } catch {
      // A malformed value is skipped, as Next skips it.
    }
  }
  return cookies;
}
