import { WebAuthnError } from "@simplewebauthn/browser";
import { BffError } from "@/lib/bff-client.ts";
import { describeStepUpFailure } from "./step-up-form.tsx";

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

/** The person closed the browser's dialog, or another ceremony replaced this one. */
export function isCancelled(failure: unknown): boolean {
  if (failure instanceof WebAuthnError && failure.code === "ERROR_CEREMONY_ABORTED") return true;
  // WebAuthnError takes its cause's name; unrecognised browser errors pass through as they are.
  return failure instanceof Error && (failure.name === "NotAllowedError" || failure.name === "AbortError");
}
