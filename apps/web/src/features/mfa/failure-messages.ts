import { WebAuthnError } from "@simplewebauthn/browser";
import { BffError } from "@/lib/bff-client.ts";

// What to tell someone whose step-up or passkey ceremony failed. The two live together because
// each falls back on the other: a passkey can be a step-up's proof, and a passkey call the BFF
// refuses (a throttle, a field) reads like any refused change.

/** A sensitive change refused: the password or second factor, a throttle, a field, or the passkey ceremony. */
export function describeStepUpFailure(failure: unknown): string {
  if (!(failure instanceof BffError)) {
    return isPasskeyFailure(failure) ? describePasskeyFailure(failure) : "Something went wrong. Please try again.";
  }
  if (failure.problem?.code === "invalid_credentials") return "The password is not right.";
  if (failure.problem?.code === "invalid_code") return "That code is not right or was already used.";
  if (failure.status === 429) return "Too many attempts. Wait a moment and try again.";
  const fields = Object.values(failure.fieldErrors).flat();
  return fields.length ? fields.join(" ") : failure.message;
}

/** What to tell someone whose passkey ceremony did not finish. */
export function describePasskeyFailure(failure: unknown): string {
  if (isCancelled(failure)) return "No passkey was used.";
  if (failure instanceof WebAuthnError) return failure.message;
  if (failure instanceof BffError) {
    if (failure.problem?.code === "invalid_credentials") return "That passkey could not be verified.";
    if (failure.problem?.code === "conflict") return failure.message;
    return describeStepUpFailure(failure);
  }
  return "The passkey could not be used. Please try again.";
}

/** The browser's side of a passkey ceremony failed (as opposed to the BFF or the API refusing it). */
export function isPasskeyFailure(failure: unknown): boolean {
  return failure instanceof WebAuthnError || isCancelled(failure);
}

/** The person closed the browser's dialog, or another ceremony replaced this one. */
export function isCancelled(failure: unknown): boolean {
  if (failure instanceof WebAuthnError && failure.code === "ERROR_CEREMONY_ABORTED") return true;
  // WebAuthnError takes its cause's name; unrecognised browser errors pass through as they are.
  return failure instanceof Error && (failure.name === "NotAllowedError" || failure.name === "AbortError");
}
