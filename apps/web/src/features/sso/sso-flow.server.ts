import "server-only";
import { randomBytes } from "node:crypto";
import { Problem } from "@taskvault/contract/errors";
import { OidcLinkRequired, OidcStarted } from "@taskvault/contract/oidc";
import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { callApi } from "@/lib/api.server.ts";
import { clientAddressOf } from "@/lib/client-address.server.ts";
import { safeNextPath } from "@/lib/safe-next.ts";
import { isSecureRequest } from "../auth/cookies.server.ts";
import { readSessionAnswer, writeSession } from "../auth/sign-in.server.ts";
import { setMfaToken } from "../mfa/mfa-cookie.server.ts";
import { clearSsoFlow, clearSsoLink, readSsoFlow, setSsoFlow, setSsoLink } from "./sso-cookies.server.ts";
import type { SsoFailure } from "./sso-messages.ts";

/**
 * The web app's half of single sign-on (decision 025): the API runs the OpenID Connect protocol
 * and holds the client secret; this side only sends the browser to the provider, relays the
 * provider's redirect back, and keeps the flow's browser binding and any link ticket in HttpOnly
 * cookies. Every outcome is a redirect to one of our pages, with a message chosen here by code
 * (nothing from the provider's query string is shown).
 */

/** The browser's own requests carry these; the API ties sessions and second steps to them. */
function browserHeaders(request: NextRequest) {
  return { "user-agent": request.headers.get("user-agent") };
}

/** A redirect with a relative Location, right whatever host a reverse proxy put in front of us. */
function redirectTo(location: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { location, "cache-control": "no-store" } });
}

const backToSignIn = (failure: SsoFailure, next = "/") =>
  redirectTo(`/signin?${new URLSearchParams({ reason: failure, ...(next !== "/" && { next }) })}`);

/** GET /auth/oidc/start: a new flow at the API, bound to this browser, then off to the provider. */
export async function startSsoSignIn(request: NextRequest): Promise<NextResponse> {
  const next = safeNextPath(request.nextUrl.searchParams.get("next"));
  const binding = randomBytes(32).toString("base64url");
  let response: Response;
  try {
    response = await callApi("/api/v1/auth/oidc/start", {
      method: "POST",
      body: JSON.stringify({ binding }),
      headers: browserHeaders(request),
      clientAddress: clientAddressOf(request.headers),
    });
  } catch {
    return backToSignIn("sso-unavailable", next);
  }
  const started = response.ok ? OidcStarted.safeParse(await response.json().catch(() => null)) : null;
  if (!started?.success) {
    await response.body?.cancel().catch(() => undefined);
    return backToSignIn(startFailure(response.status), next);
  }
  const answer = redirectTo(started.data.authorizationUrl);
  setSsoFlow(answer, request, { binding, next }, started.data.expiresIn);
  return answer;
}

function startFailure(status: number): SsoFailure {
  if (status === 404) return "sso-off";
  if (status === 429) return "sso-throttled";
  return "sso-unavailable";
}

/**
 * GET /auth/oidc/callback (the redirect URI, PUBLIC_URL/auth/oidc/callback): hands the provider's
 * answer to the API with this browser's binding. A session goes into the cookies exactly as after
 * a password; a pending second factor continues on /signin's second step; an existing account
 * with the provider's email goes to /link-sso; anything else back to /signin, nobody signed in.
 */
export async function finishSsoSignIn(request: NextRequest): Promise<NextResponse> {
  const secure = isSecureRequest(request.nextUrl, request.headers);
  const flow = readSsoFlow(request.cookies, secure);
  const next = flow?.next ?? "/";
  let response: Response;
  try {
    response = await callApi("/api/v1/auth/oidc/callback", {
      method: "POST",
      // Only the query matters to the API; sent even without a binding, so the state is spent.
      body: JSON.stringify({ callbackUrl: request.url, ...(flow && { binding: flow.binding }) }),
      headers: browserHeaders(request),
      clientAddress: clientAddressOf(request.headers),
    });
  } catch {
    return withoutFlow(backToSignIn("sso-unavailable", next), request);
  }
  const payload: unknown = await response.json().catch(() => null);

  if (response.ok) {
    const answer = readSessionAnswer(payload);
    if (!answer) return withoutFlow(backToSignIn("sso-failed", next), request);
    if (answer.kind === "second-step") {
      const query = new URLSearchParams({ step: answer.methods.join(","), ...(next !== "/" && { next }) });
      const reply = redirectTo(`/signin?${query}`);
      setMfaToken(reply, request, answer.mfaToken);
      return withoutFlow(reply, request);
    }
    const reply = redirectTo(next);
    writeSession(reply, request, answer.session);
    return withoutFlow(reply, request);
  }

  const problem = Problem.safeParse(payload);
  const code = problem.success ? problem.data.code : null;
  if (response.status === 409 && code === "oidc_link_required") {
    const link = OidcLinkRequired.safeParse(payload);
    if (link.success && flow) {
      const reply = redirectTo("/link-sso");
      // The link is bound to the same browser binding as the flow: both stay for the ticket's life.
      setSsoLink(reply, request, { ticket: link.data.linkTicket, email: link.data.email }, link.data.expiresIn);
      setSsoFlow(reply, request, { binding: flow.binding, next: "/settings" }, link.data.expiresIn);
      return reply;
    }
  }
  return withoutFlow(backToSignIn(callbackFailure(response.status, code, request), next), request);
}

function callbackFailure(status: number, code: string | null, request: NextRequest): SsoFailure {
  if (code === "invalid_state") return "sso-expired";
  if (code === "signup_closed") return "sso-signup-closed";
  if (status === 429) return "sso-throttled";
  if (status === 404) return "sso-off";
  if (status >= 500) return "sso-unavailable";
  // The person cancelled at the provider (RFC 6749 §4.1.2.1 access_denied): no need to alarm them.
  if (request.nextUrl.searchParams.get("error") === "access_denied") return "sso-cancelled";
  return "sso-failed";
}

function withoutFlow(response: NextResponse, request: NextRequest): NextResponse {
  clearSsoFlow(response, request);
  clearSsoLink(response, request);
  return response;
}
