// GET /api/auth/recover?next=… – a page render got 401: try one refresh, else end the session and go to sign-in
import { type NextRequest, NextResponse } from "next/server";
import { clearedSessionCookies, writeCookies } from "@/features/auth/cookies.server.ts";
import { readRequestSession, refreshIfDue } from "@/features/auth/session-tokens.server.ts";
import { safeNextPath } from "@/lib/safe-next.ts";

/**
 * Server components cannot write cookies, so a render whose token the API refused sends the
 * browser here. One refresh is tried; a marker cookie makes sure a second refusal within a minute
 * ends at /signin instead of bouncing between the page and this route.
 */
const RECOVERY_MARKER = "tv_recovering";

export async function GET(request: NextRequest) {
  const next = safeNextPath(request.nextUrl.searchParams.get("next"));
  let session = readRequestSession(request);
  const { secure } = session;

  if (!request.cookies.has(RECOVERY_MARKER)) {
    session = await refreshIfDue(request, session, { force: true });
    if (session.state === "refreshed") {
      const response = NextResponse.redirect(new URL(next, request.url), 303);
      writeCookies(response.cookies, session.cookies);
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
