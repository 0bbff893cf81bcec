import "server-only";
import { Session } from "@taskvault/contract/auth";
import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { callApi } from "@/lib/api.server.ts";
import { relayResponse } from "@/lib/bff.server.ts";
import { clientAddressOf } from "@/lib/client-address.server.ts";
import { problemResponse } from "@/lib/problem.ts";
import { refuseForeignOrigin } from "@/lib/same-origin.server.ts";
import { isSecureRequest, sessionCookies, writeCookies } from "./cookies.server.ts";

/**
 * Sign-in and sign-up: the credentials go to the API, the tokens it answers with go into HttpOnly
 * cookies, and the browser gets only the user. Errors (401, 409, 422 with field errors, 429) are
 * relayed as the API wrote them.
 */
export async function startSession(request: NextRequest, apiPath: "/api/v1/auth/signin" | "/api/v1/auth/signup") {
  const refused = refuseForeignOrigin(request);
  if (refused) return refused;
  const body = await request.text();
  if (Buffer.byteLength(body) > 64 * 1024) {
    return problemResponse(413, "payload_too_large", "Payload Too Large", "The body is too large.");
  }
  let response: Response;
  try {
    response = await callApi(apiPath, {
      method: "POST",
      body,
      headers: { "content-type": request.headers.get("content-type"), "user-agent": request.headers.get("user-agent") },
      clientAddress: clientAddressOf(request.headers),
    });
  } catch {
    return problemResponse(503, "service_unavailable", "Service Unavailable", "The Taskvault API cannot be reached.");
  }
  if (!response.ok) return relayResponse(response);

  const session = Session.safeParse(await response.json().catch(() => null));
  if (!session.success) {
    return problemResponse(502, "internal_error", "Bad Gateway", "The API answered with an unexpected session.");
  }
  const answer = NextResponse.json(
    { user: session.data.user },
    { status: response.status, headers: { "cache-control": "no-store" } },
  );
  writeCookies(answer.cookies, sessionCookies(session.data, isSecureRequest(request.nextUrl, request.headers)));
  return answer;
}
