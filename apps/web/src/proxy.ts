import { type NextRequest, NextResponse } from "next/server";
import { type CookieSpec, writeCookies } from "@/features/auth/cookies.server.ts";
import { readRequestSession, refreshIfDue } from "@/features/auth/session-tokens.server.ts";
import { pageContentSecurityPolicy } from "@/lib/csp.ts";
import { env } from "@/lib/env.server.ts";
import { safeNextPath } from "@/lib/safe-next.ts";
import { refuseForeignOrigin } from "@/lib/same-origin.server.ts";

/**
 * Runs before every page (BFF routes under /api do the same checks themselves, in
 * src/lib/bff.server.ts, which saves a hop on the busiest path):
 * 1. refuses state-changing requests from other sites (CSRF), e.g. server-action POSTs,
 * 2. refreshes the access token shortly before it expires, so the render uses a fresh one,
 * 3. sends signed-out visitors to /signin and signed-in ones away from it, before anything renders,
 * 4. gives each page a fresh CSP nonce.
 */
const GUEST_PAGES = new Set(["/signin", "/signup"]);
/**
 * Pages an emailed link opens, or that lead to one: open signed in or not (a signed-in person
 * confirms a new address; someone resets the password of the account signed in here).
 */
const OPEN_PAGES = new Set(["/forgot-password", "/reset-password", "/verify-email", "/link-sso"]);
/**
 * Single sign-on's routes: the start and the provider's redirect back (the redirect URI) run
 * before anyone is signed in. /link-sso is open too: signed out it asks to sign in, signed in it links.
 */
const OPEN_PREFIX = "/auth/oidc/";
const isOpen = (pathname: string) => OPEN_PAGES.has(pathname) || pathname.startsWith(OPEN_PREFIX);

export async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;

  const refused = refuseForeignOrigin(request);
  if (refused) return refused;

  const session = await refreshIfDue(request, readRequestSession(request));
  const { secure } = session;
  const sessionExpired = session.state === "ended";
  const isSignedIn = session.tokens.refreshToken !== null && !sessionExpired;
  const cookiesToWrite: CookieSpec[] = session.cookies;
  // Let this very request's pages and routes read the new tokens, not only the next one.
  for (const cookie of cookiesToWrite) {
    if (sessionExpired) request.cookies.delete(cookie.name);
    else request.cookies.set(cookie.name, cookie.value);
  }

  if (!GUEST_PAGES.has(pathname) && !isOpen(pathname) && !isSignedIn) {
    const target = new URL("/signin", request.url);
    target.searchParams.set("next", `${pathname}${search}`);
    if (sessionExpired) target.searchParams.set("reason", "expired");
    return withCookies(NextResponse.redirect(target, 303), cookiesToWrite);
  }
  if (GUEST_PAGES.has(pathname) && isSignedIn) {
    const target = new URL(safeNextPath(request.nextUrl.searchParams.get("next")), request.url);
    return withCookies(NextResponse.redirect(target, 303), cookiesToWrite);
  }

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
  const csp = pageContentSecurityPolicy({ nonce, isDevelopment: env.isDevelopment, isSecure: secure });
  const requestHeaders = new Headers(request.headers);
  // Next reads the nonce from the request's CSP header and stamps it on its own scripts.
  requestHeaders.set("content-security-policy", csp);
  requestHeaders.set("x-nonce", nonce);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  return withCookies(response, cookiesToWrite);
}

function withCookies(response: NextResponse, cookies: CookieSpec[]): NextResponse {
  writeCookies(response.cookies, cookies);
  return response;
}

export const config = {
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico|icon.svg|robots.txt).*)"],
};
