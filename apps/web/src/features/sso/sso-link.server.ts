import "server-only";
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";
import { problemResponse } from "@/lib/problem.ts";
import { isSecureRequest } from "../auth/cookies.server.ts";
import { clearSsoFlow, clearSsoLink, readSsoFlow, readSsoLink } from "./sso-cookies.server.ts";

/**
 * POST /api/me/oidc/link for the signed-in browser: the link ticket and the browser binding come
 * from this browser's HttpOnly cookies (the page never sees them). The API wants a session opened
 * after the ticket, so the person has just signed in with the account's own credentials.
 */
export async function linkSsoAccount(request: NextRequest) {
  const secure = isSecureRequest(request.nextUrl, request.headers);
  const link = readSsoLink(request.cookies, secure);
  const flow = readSsoFlow(request.cookies, secure);
  if (!link || !flow) {
    return problemResponse(
      400,
      "invalid_state",
      "Bad Request",
      "There is no link request in this browser, or it has expired; sign in with single sign-on again.",
    );
  }
  const answer = await forwardToApi(request, "/api/v1/me/oidc/link", {
    body: JSON.stringify({ linkTicket: link.ticket, binding: flow.binding }),
  });
  // Linked, or the ticket is spent or unknown: either way it is of no further use here.
  if (answer.ok || answer.status === 400 || answer.status === 409) {
    clearSsoLink(answer, request);
    clearSsoFlow(answer, request);
  }
  return answer;
}
