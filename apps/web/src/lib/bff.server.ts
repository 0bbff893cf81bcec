import "server-only";
import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { isSecureRequest, writeCookies } from "@/features/auth/cookies.server.ts";
import { type RequestSession, readRequestSession, refreshIfDue } from "@/features/auth/session-tokens.server.ts";
import { bffLocation, FORWARDED_REQUEST_HEADERS, RELAYED_RESPONSE_HEADERS } from "../../server/bff-headers.mjs";
import { callApi } from "./api.server.ts";
import { clientAddressOf } from "./client-address.server.ts";
import { problemResponse } from "./problem.ts";
import { refuseForeignOrigin } from "./same-origin.server.ts";

/**
 * The backend-for-frontend hop: a browser request to `/api/…` becomes an API call with the
 * session's Bearer token, and the API's answer is relayed unchanged (status, body, ETag …), so the
 * BFF "answers like the API". It refuses cross-site state changes, refreshes a token that is about
 * to expire before calling, and on a 401 refreshes once and retries.
 */
const BODY_LIMIT = 64 * 1024;

export type ForwardOptions = {
  /** Runs after a successful answer, e.g. to drop the cookies once the account is gone. */
  onSuccess?: (response: NextResponse, secure: boolean) => void;
  /** Relay the body as it arrives (server-sent events) instead of reading it whole. */
  isStream?: boolean;
  /** Largest request body accepted, in bytes (default 64 KB). */
  bodyLimit?: number;
  /** The body to send instead of the browser's, for calls whose input the BFF holds (HttpOnly cookies). */
  body?: string;
};

export async function forwardToApi(request: NextRequest, apiPath: string, options: ForwardOptions = {}) {
  const refused = refuseForeignOrigin(request);
  if (refused) return refused;
  let session = readRequestSession(request);
  if (!session.tokens.accessToken && !session.tokens.refreshToken) {
    return problemResponse(401, "unauthorized", "Unauthorized", "Sign in to continue.");
  }

  const body = options.body ?? (await readRequestBody(request, options.bodyLimit ?? BODY_LIMIT));
  if (body instanceof NextResponse) return body;
  const headers = forwardedHeaders(request);
  const path = `${apiPath}${request.nextUrl.search}`;
  const send = (accessToken: string) =>
    callApi(path, {
      method: request.method,
      accessToken,
      body,
      headers,
      clientAddress: clientAddressOf(request.headers),
      ...(options.isStream ? { isStream: true, signal: request.signal } : {}),
    });

  const unavailable = () =>
    problemResponse(503, "service_unavailable", "Service Unavailable", "The Taskvault API cannot be reached.");
  const ended = (current: RequestSession) => {
    const expired = problemResponse(401, "invalid_token", "Unauthorized", "Your session has ended. Sign in again.");
    writeCookies(expired.cookies, current.cookies);
    return expired;
  };
  let response: Response | null = null;
  /** The body of a 401 already read, to relay it as it is. */
  let readBody: string | undefined;
  try {
    // Refresh ahead of expiry (as the proxy does for pages), so the call is not refused on the way.
    session = await refreshIfDue(request, session);
    if (session.state === "ended") return ended(session);
    if (session.state === "unavailable") return unavailable();
    if (session.accessToken) response = await send(session.accessToken);
    if (response?.status === 401) {
      // A wrong password or code (deleting the account, a step-up) is a 401 too, but not a token problem.
      readBody = await response.text();
      const isTokenProblem = !isCredentialsProblem(readBody);
      if (isTokenProblem && session.state === "current") {
        // The API refused the token: refresh once and try again.
        response = null;
        readBody = undefined;
        session = await refreshIfDue(request, session, { force: true });
        if (session.state === "ended") return ended(session);
        if (session.state === "unavailable") return unavailable();
        if (session.state === "refreshed" && session.accessToken) response = await send(session.accessToken);
      }
    }
  } catch {
    return unavailable();
  }
  if (response === null) return problemResponse(401, "unauthorized", "Unauthorized", "Sign in to continue.");
  const { cookies, secure } = session;

  const relayed =
    options.isStream && response.ok
      ? relayStream(response)
      : relayResponse(response, readBody ?? (await response.arrayBuffer()));
  writeCookies(relayed.cookies, cookies);
  if (response.ok) options.onSuccess?.(relayed, secure);
  return relayed;
}

/**
 * The same hop for the routes that need no session (forgot and reset password, verify an email):
 * no token is sent, even when the browser has one, and the answer is relayed as it is.
 */
export async function forwardPublicToApi(
  request: NextRequest,
  apiPath: string,
  options: Pick<ForwardOptions, "onSuccess"> = {},
) {
  const refused = refuseForeignOrigin(request);
  if (refused) return refused;
  const body = await readRequestBody(request, BODY_LIMIT);
  if (body instanceof NextResponse) return body;
  let response: Response;
  try {
    response = await callApi(apiPath, {
      method: request.method,
      body,
      headers: forwardedHeaders(request),
      clientAddress: clientAddressOf(request.headers),
    });
  } catch {
    return problemResponse(503, "service_unavailable", "Service Unavailable", "The Taskvault API cannot be reached.");
  }
  const relayed = relayResponse(response, await response.arrayBuffer());
  if (response.ok) options.onSuccess?.(relayed, isSecureRequest(request.nextUrl, request.headers));
  return relayed;
}

/** The request body as text (null when empty), or a 413 answer when it is over `limit` bytes. */
async function readRequestBody(request: NextRequest, limit: number): Promise<string | null | NextResponse> {
  if (request.method === "GET" || request.method === "HEAD") return null;
  const tooLarge = () => problemResponse(413, "payload_too_large", "Payload Too Large", "The body is too large.");
  if (Number(request.headers.get("content-length") ?? 0) > limit) return tooLarge();
  const body = await request.text();
  if (Buffer.byteLength(body) > limit) return tooLarge();
  return body === "" ? null : body;
}

function forwardedHeaders(request: NextRequest): Record<string, string | null> {
  const headers: Record<string, string | null> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) headers[name] = request.headers.get(name);
  return headers;
}

/** Copies an API response for the browser, rewriting API locations to their BFF twins. */
export function relayResponse(response: Response, body?: string | ArrayBuffer): NextResponse {
  const headers = new Headers();
  for (const name of RELAYED_RESPONSE_HEADERS) {
    const value = response.headers.get(name);
    if (value) headers.set(name, value);
  }
  const location = response.headers.get("location");
  if (location) headers.set("location", bffLocation(location));
  headers.set("cache-control", "no-store");
  // A body already read (whole, or as text to look at a 401) is sent as it is, else streamed through.
  const hasBody = response.status !== 204 && response.status !== 304;
  const payload = hasBody ? (body ?? response.body) : null;
  return new NextResponse(payload, { status: response.status, headers });
}

/**
 * Passes a server-sent-event stream through as it arrives. `no-transform` keeps the compression
 * layer from buffering it; the API's heartbeats keep idle proxies from closing it.
 */
function relayStream(response: Response): NextResponse {
  return new NextResponse(response.body, {
    status: response.status,
    headers: {
      "content-type": response.headers.get("content-type") ?? "text/event-stream",
      "cache-control": "no-cache, no-transform",
      "x-accel-buffering": "no",
    },
  });
}

function isCredentialsProblem(body: string): boolean {
  try {
    const { code } = JSON.parse(body) as { code?: unknown };
    return code === "invalid_credentials" || code === "invalid_code";
  } catch {
    return false;
  }
}

/** Path parameters become part of an API path: only id-shaped values may pass. */
export function isIdSegment(value: string): boolean {
  return /^[A-Za-z0-9-]{1,64}$/.test(value);
}

export function notFound() {
  return problemResponse(404, "not_found", "Not Found", "No such resource.");
}
