import type { MfaStatus, StepUp } from "@taskvault/contract/mfa";

/**
 * How this account confirms a sensitive change (step-up): its password, or — for an account
 * without one (made by single sign-on) — a code from its authenticator app or a recovery code.
 * An account with neither has nothing stronger than its session, and the API asks for nothing.
 */
export type StepUpMethods = { password: boolean; totp: boolean; recoveryCode: boolean };

export function stepUpMethods(hasPassword: boolean, status: MfaStatus): StepUpMethods {
  if (hasPassword) return { password: true, totp: false, recoveryCode: false };
  return { password: false, totp: status.totp, recoveryCode: status.recoveryCodesLeft > 0 };
}

/** The proof a step-up form holds, as the API's `StepUp` fields. */
export function readStepUpProof(data: FormData): StepUp {
  const read = (name: string) => {
    const value = data.get(name);
    return typeof value === "string" ? value : undefined;
  };
  const password = read("password");
  if (password !== undefined) return { password };
  const code = read("code");
  if (code !== undefined) return { code };
  const recoveryCode = read("recoveryCode");
  return recoveryCode !== undefined ? { recoveryCode } : {};
}
