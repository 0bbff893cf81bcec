import "server-only";
import type { Session } from "@taskvault/contract/auth";
import {
  ACCESS_COOKIE as ACCESS,
  cookieName,
  isHttps,
  REFRESH_COOKIE as REFRESH,
  type SessionCookieBase,
} from "../../../server/session-tokens.mjs";

/**
 * The session lives in two HttpOnly cookies: the access token and the refresh token. See
 * docs/decisions/010-web-session-cookies.md for why two plain cookies rather than one encrypted one.
 * Over HTTPS the names carry the `__Host-` prefix, which makes the browser insist on Secure,
 * Path=/ and no Domain, so a sibling subdomain cannot plant or overwrite them.
 */

export type CookieSpec = {
  name: string;
  value: string;
  httpOnly: true;
  sameSite: "lax";
  secure: boolean;
  path: "/";
  maxAge: number;
};

export type SessionTokens = { accessToken: string | null; refreshToken: string | null };

/** Anything with a `get(name)` like Next's request cookies or `cookies()`. */
export type CookieReader = { get(name: string): { value: string } | undefined };

export function readSessionTokens(cookies: CookieReader, secure: boolean): SessionTokens {
  const read = (base: SessionCookieBase) => cookies.get(cookieName(base, secure))?.value || null;
  return { accessToken: read(ACCESS), refreshToken: read(REFRESH) };
}

function spec(name: string, value: string, maxAge: number, secure: boolean): CookieSpec {
  return { name, value, httpOnly: true, sameSite: "lax", secure, path: "/", maxAge };
}

/** The cookies that hold a freshly issued or rotated session. */
export function sessionCookies(
  session: Pick<Session, "accessToken" | "expiresIn" | "refreshToken" | "refreshExpiresIn">,
  secure: boolean,
): CookieSpec[] {
  return [
    // The access cookie dies with its token, so a stale one is never even sent.
    spec(cookieName(ACCESS, secure), session.accessToken, Math.max(1, session.expiresIn), secure),
    spec(cookieName(REFRESH, secure), session.refreshToken, Math.max(1, session.refreshExpiresIn), secure),
  ];
}

/** Cookies that make the browser forget the session (Max-Age=0). */
export function clearedSessionCookies(secure: boolean): CookieSpec[] {
  return ([ACCESS, REFRESH] as const).map((base) => spec(cookieName(base, secure), "", 0, secure));
}

/** Anything with Next's `cookies.set(spec)`. */
export type CookieWriter = { set(spec: CookieSpec): unknown };

export function writeCookies(target: CookieWriter, specs: CookieSpec[]) {
  for (const cookie of specs) target.set(cookie);
}

/**
 * Whether the browser reached us over HTTPS. Behind a TLS-terminating reverse proxy the socket is
 * plain HTTP, so the proxy's `X-Forwarded-Proto` is believed too.
 */
export function isSecureRequest(url: URL, headers: Headers): boolean {
  return isHttps(headers.get("x-forwarded-proto"), url.protocol === "https:");
}
