import "server-only";
import { Session } from "@taskvault/contract/auth";
import { type MfaMethod, MfaRequired } from "@taskvault/contract/mfa";
import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { callApi } from "@/lib/api.server.ts";
import { relayResponse } from "@/lib/bff.server.ts";
import { clientAddressOf } from "@/lib/client-address.server.ts";
import { problemResponse } from "@/lib/problem.ts";
import { refuseForeignOrigin } from "@/lib/same-origin.server.ts";
import { clearMfaToken, readMfaToken, setMfaToken } from "../mfa/mfa-cookie.server.ts";
import { isSecureRequest, sessionCookies, writeCookies } from "./cookies.server.ts";

/** The API calls that answer with a `Session` (or, for a password, maybe with a second step). */
export type SessionPath =
  | "/api/v1/auth/signin"
  | "/api/v1/auth/signup"
  | "/api/v1/auth/passkey"
  | "/api/v1/auth/signin/mfa";

const BODY_LIMIT = 64 * 1024;

/**
 * Sign-in and sign-up: the credentials go to the API, the tokens it answers with go into HttpOnly
 * cookies, and the browser gets only the user. Errors (401, 409, 422 with field errors, 429) are
 * relayed as the API wrote them.
 */
export async function startSession(request: NextRequest, apiPath: SessionPath) {
  const refused = refuseForeignOrigin(request);
  if (refused) return refused;
  const body = await request.text();
  if (Buffer.byteLength(body) > BODY_LIMIT) {
    return problemResponse(413, "payload_too_large", "Payload Too Large", "The body is too large.");
  }
  return exchangeForSession(request, apiPath, body);
}

/**
 * Sends `body` to one of the API's session-issuing calls for the browser of `request`. An account
 * with a second factor gets no token from its password: the API's `mfaToken` then goes into its own
 * HttpOnly cookie and the browser learns only which methods it may finish with.
 */
export async function exchangeForSession(request: NextRequest, apiPath: SessionPath, body: string) {
  let response: Response;
  try {
    response = await callApi(apiPath, {
      method: "POST",
      body,
      // The API binds an mfaToken to the client (address and User-Agent) that asked for it.
      headers: { "content-type": request.headers.get("content-type"), "user-agent": request.headers.get("user-agent") },
      clientAddress: clientAddressOf(request.headers),
    });
  } catch {
    return problemResponse(503, "service_unavailable", "Service Unavailable", "The Taskvault API cannot be reached.");
  }
  if (!response.ok) return relayResponse(response);

  const answer = readSessionAnswer(await response.json().catch(() => null));
  if (answer?.kind === "second-step") {
    const reply = NextResponse.json(
      { mfaRequired: true, methods: answer.methods },
      { status: 200, headers: { "cache-control": "no-store" } },
    );
    setMfaToken(reply, request, answer.mfaToken);
    return reply;
  }
  if (!answer) {
    return problemResponse(502, "internal_error", "Bad Gateway", "The API answered with an unexpected session.");
  }
  const reply = NextResponse.json(
    { user: answer.session.user },
    { status: response.status, headers: { "cache-control": "no-store" } },
  );
  writeSession(reply, request, answer.session);
  return reply;
}

/** What a session-issuing API call answered: a session, or the second step it still needs. */
export type SessionAnswer =
  | { kind: "session"; session: Session }
  | { kind: "second-step"; mfaToken: string; methods: MfaMethod[] };

export function readSessionAnswer(payload: unknown): SessionAnswer | null {
  const secondStep = MfaRequired.safeParse(payload);
  if (secondStep.success) {
    return { kind: "second-step", mfaToken: secondStep.data.mfaToken, methods: secondStep.data.methods };
  }
  const session = Session.safeParse(payload);
  return session.success ? { kind: "session", session: session.data } : null;
}

/**
 * Puts a new session into the browser's cookies — the one way every sign-in (password, passkey,
 * second step, single sign-on) ends in the browser.
 */
export function writeSession(answer: NextResponse, request: NextRequest, session: Session) {
  writeCookies(answer.cookies, sessionCookies(session, isSecureRequest(request.nextUrl, request.headers)));
  // Whatever second step was pending is finished (or superseded) by this session.
  if (readMfaToken(request)) clearMfaToken(answer, request);
}
