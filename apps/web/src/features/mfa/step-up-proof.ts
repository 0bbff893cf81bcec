import type { MfaStatus } from "@taskvault/contract/mfa";

/**
 * How this account confirms a sensitive change (step-up): its password, or — for an account
 * without one (made by single sign-on) — a code from its authenticator app, a recovery code or a
 * passkey. An account with none of them has nothing stronger than its session, and the API asks
 * for nothing.
 */
export type StepUpMethods = { password: boolean; totp: boolean; passkey: boolean; recoveryCode: boolean };

export function stepUpMethods(hasPassword: boolean, status: MfaStatus): StepUpMethods {
  if (hasPassword) return { password: true, totp: false, passkey: false, recoveryCode: false };
  return {
    password: false,
    totp: status.totp,
    passkey: status.passkeys > 0,
    recoveryCode: status.recoveryCodesLeft > 0,
  };
}
