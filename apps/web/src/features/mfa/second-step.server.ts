import "server-only";
import type { NextRequest } from "next/server";
import { problemResponse } from "@/lib/problem.ts";
import { refuseForeignOrigin } from "@/lib/same-origin.server.ts";
import { exchangeForSession } from "../auth/sign-in.server.ts";
import { readMfaToken } from "./mfa-cookie.server.ts";

const BODY_LIMIT = 64 * 1024;

/**
 * The second step of a sign-in: the browser sends only the proof (`{code}`, `{recoveryCode}` or
 * `{challengeId, response}` for a passkey); the pending `mfaToken` comes from its HttpOnly cookie.
 */
export async function completeSecondStep(request: NextRequest) {
  const refused = refuseForeignOrigin(request);
  if (refused) return refused;
  const text = await request.text();
  if (Buffer.byteLength(text) > BODY_LIMIT) {
    return problemResponse(413, "payload_too_large", "Payload Too Large", "The body is too large.");
  }
  const mfaToken = readMfaToken(request);
  if (!mfaToken) {
    return problemResponse(
      401,
      "invalid_mfa_token",
      "Unauthorized",
      "This sign-in step has expired or was used up; sign in again.",
    );
  }
  let proof: unknown;
  try {
    proof = JSON.parse(text);
  } catch {
    return problemResponse(400, "invalid_json", "Bad Request", "The body is not valid JSON.");
  }
  if (typeof proof !== "object" || proof === null || Array.isArray(proof)) {
    return problemResponse(400, "invalid_json", "Bad Request", "The body must be a JSON object.");
  }
  // The API validates the proof's shape; the token is added last so a body cannot replace it.
  return exchangeForSession(request, "/api/v1/auth/signin/mfa", JSON.stringify({ ...proof, mfaToken }));
}
