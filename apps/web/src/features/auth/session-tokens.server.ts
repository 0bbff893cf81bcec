import "server-only";
import type { NextRequest } from "next/server";
import { shouldRefresh } from "../../../server/session-tokens.mjs";
import { clientOf } from "../../lib/client-address.server.ts";
import {
  type CookieSpec,
  clearedSessionCookies,
  isSecureRequest,
  readSessionTokens,
  type SessionTokens,
  sessionCookies,
} from "./cookies.server.ts";
import { refreshSession } from "./refresh.server.ts";

/**
 * The session a request carries, made ready for an API call: the one place where tokens are read
 * from the cookies, refreshed when due, and turned into the cookies to write back. The proxy
 * (pages), the BFF route handlers and the recovery route all go through it.
 */
export type RequestSession = {
  /** Whether the browser reached us over HTTPS (the cookies' names and flags depend on it). */
  secure: boolean;
  /** The cookies as they came. */
  tokens: SessionTokens;
  /** The access token to call the API with now, if any. */
  accessToken: string | null;
  /**
   * `current`: nothing was refreshed; `refreshed`: a new pair (its cookies in `cookies`);
   * `ended`: the API refused the refresh token, the session is over (cookies cleared);
   * `unavailable`: the API could not be asked, the cookies stay.
   */
  state: "current" | "refreshed" | "ended" | "unavailable";
  /** Cookies to write on the response. */
  cookies: CookieSpec[];
};

export function readRequestSession(request: NextRequest): RequestSession {
  const secure = isSecureRequest(request.nextUrl, request.headers);
  const tokens = readSessionTokens(request.cookies, secure);
  return { secure, tokens, accessToken: tokens.accessToken, state: "current", cookies: [] };
}

/**
 * Refreshes when the access token is about to expire (or `force`, after the API refused it), once
 * per refresh token across the process (refresh.server.ts). Without a refresh token, or when
 * nothing is due, the session is returned as it is.
 */
export async function refreshIfDue(
  request: NextRequest,
  session: RequestSession,
  { force = false }: { force?: boolean } = {},
): Promise<RequestSession> {
  const { refreshToken } = session.tokens;
  if (!refreshToken || session.state !== "current") return session;
  if (!force && !shouldRefresh(session.accessToken)) return session;
  const result = await refreshSession(refreshToken, clientOf(request.headers));
  if (result.kind === "refreshed") {
    return {
      ...session,
      accessToken: result.session.accessToken,
      state: "refreshed",
      cookies: sessionCookies(result.session, session.secure),
    };
  }
  if (result.kind === "rejected") {
    return { ...session, accessToken: null, state: "ended", cookies: clearedSessionCookies(session.secure) };
  }
  return { ...session, state: "unavailable" };
}
