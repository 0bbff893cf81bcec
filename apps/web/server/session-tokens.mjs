// The session cookies' names and the access token's times. Plain JavaScript: server.mjs's fast
// reads (server/fast-reads.mjs) and the app's token code (src/features/auth) both use it.

/** Base names of the two HttpOnly cookies (decision 010); over HTTPS they carry `__Host-`. */
export const ACCESS_COOKIE = /** @type {const} */ ("tv_at");
export const REFRESH_COOKIE = /** @type {const} */ ("tv_rt");

/** @typedef {typeof ACCESS_COOKIE | typeof REFRESH_COOKIE} SessionCookieBase */
/** @typedef {{ issuedAt: number, expiresAt: number }} TokenTimes */

/**
 * @param {SessionCookieBase} base
 * @param {boolean} secure
 * @returns {string}
 */
export function cookieName(base, secure) {
  return secure ? `__Host-${base}` : base;
}

/**
 * Whether the browser reached us over HTTPS, which decides the cookies' names: the connection's
 * own protocol, or, behind a TLS-terminating reverse proxy, the first `X-Forwarded-Proto` entry.
 * @param {string | string[] | null | undefined} forwardedProto
 * @param {boolean} connectionIsHttps
 * @returns {boolean}
 */
export function isHttps(forwardedProto, connectionIsHttps) {
  const forwarded = typeof forwardedProto === "string" ? forwardedProto.split(",")[0]?.trim().toLowerCase() : null;
  return forwarded === "https" || connectionIsHttps;
}

/**
 * Reads `iat`/`exp` from an access token without verifying it. The web server only uses them to
 * decide *when* to refresh; the API verifies every token it receives, so nothing here is trusted.
 * @param {string} token
 * @returns {TokenTimes | null}
 */
export function readTokenTimes(token) {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
    if (typeof claims !== "object" || claims === null) return null;
    const { iat, exp } = claims;
    if (typeof exp !== "number") return null;
    return { issuedAt: typeof iat === "number" ? iat : exp, expiresAt: exp };
  } catch {
    return null;
  }
}

/**
 * True when the access token is missing or close enough to expiry that a request made with it
 * might be refused on the way. The margin is a fifth of the token's lifetime, between 2 and 60 s,
 * so both the default 10-minute tokens and very short test tokens refresh in time.
 * @param {string | null | undefined} accessToken
 * @param {number} [nowSeconds]
 * @returns {boolean}
 */
export function shouldRefresh(accessToken, nowSeconds = Date.now() / 1000) {
  if (!accessToken) return true;
  const times = readTokenTimes(accessToken);
  // Not a JWT we can read: let the API judge it, and refresh on its 401.
  if (!times) return false;
  const lifetime = Math.max(0, times.expiresAt - times.issuedAt);
  const margin = Math.min(60, Math.max(2, lifetime / 5));
  return times.expiresAt - nowSeconds <= margin;
}
