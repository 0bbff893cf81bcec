// GET /api/auth/recover?next=… – a page render got 401: try one refresh, else end the session and go to sign-in
import { type NextRequest, NextResponse } from "next/server";
import {
  clearedSessionCookies,
  isSecureRequest,
  readSessionTokens,
  sessionCookies,
  writeCookies,
} from "@/features/auth/cookies.server.ts";
import { refreshSession } from "@/features/auth/refresh.server.ts";
import { clientOf } from "@/lib/client-address.server.ts";
import { safeNextPath } from "@/lib/safe-next.ts";

/**
 * Server components cannot write cookies, so a render whose token the API refused sends the
 * browser here. One refresh is tried; a marker cookie makes sure a second refusal within a minute
 * ends at /signin instead of bouncing between the page and this route.
 */
const RECOVERY_MARKER = "tv_recovering";

export async function GET(request: NextRequest) {
  const secure = isSecureRequest(request.nextUrl, request.headers);
  const next = safeNextPath(request.nextUrl.searchParams.get("next"));
  const { refreshToken } = readSessionTokens(request.cookies, secure);

  if (refreshToken && !request.cookies.has(RECOVERY_MARKER)) {
    const result = await refreshSession(refreshToken, clientOf(request.headers));
    if (result.kind === "refreshed") {
      const response = NextResponse.redirect(new URL(next, request.url), 303);
      writeCookies(response.cookies, sessionCookies(result.session, secure));
      response.cookies.set({
        name: RECOVERY_MARKER,
        value: "1",
        httpOnly: true,
        sameSite: "lax",
        secure,
        path: "/",
        maxAge: 60,
      });
      return response;
    }
  }
  const signin = new URL("/signin", request.url);
  signin.searchParams.set("reason", "expired");
  if (next !== "/") signin.searchParams.set("next", next);
  const response = NextResponse.redirect(signin, 303);
  writeCookies(response.cookies, clearedSessionCookies(secure));
  response.cookies.set({
    name: RECOVERY_MARKER,
    value: "",
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge: 0,
  });
  return response;
}
