import {
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
} from "@simplewebauthn/browser";
import type {
  MfaMethod,
  MfaStatus,
  Passkey,
  PasskeySignInOptions,
  RecoveryCodes,
  StepUp,
  TotpEnrolment,
} from "@taskvault/contract/mfa";
import { bff } from "@/lib/bff-client.ts";

/** Browser-side calls for second factors and passkeys, all through the BFF (which holds every token). */

// Wrong passwords and codes are 401s of their own, not an ended session.
const own401 = { redirectOnUnauthorized: false } as const;

export const loadMfaStatus = async () => (await bff<MfaStatus>("/api/me/mfa")).data;
export const loadPasskeys = async () => (await bff<Passkey[]>("/api/me/passkeys")).data;

export async function startTotpEnrolment(proof: StepUp): Promise<TotpEnrolment> {
  return (await bff<TotpEnrolment>("/api/me/mfa/totp", { method: "POST", body: proof, ...own401 })).data;
}

export async function confirmTotp(code: string, endOtherSessions: boolean): Promise<string[]> {
  const { data } = await bff<RecoveryCodes>("/api/me/mfa/totp/confirm", {
    method: "POST",
    body: { code, endOtherSessions },
    ...own401,
  });
  return data.recoveryCodes;
}

export async function removeTotp(proof: StepUp, endOtherSessions: boolean) {
  await bff("/api/me/mfa/totp", { method: "DELETE", body: { ...proof, endOtherSessions }, ...own401 });
}

export async function regenerateRecoveryCodes(proof: StepUp): Promise<string[]> {
  const { data } = await bff<RecoveryCodes>("/api/me/mfa/recovery-codes", {
    method: "POST",
    body: proof,
    ...own401,
  });
  return data.recoveryCodes;
}

/** Creates a passkey on this device (the browser asks for the screen lock) and registers it. */
export async function addPasskey(name: string, endOtherSessions: boolean): Promise<Passkey> {
  const { data: optionsJSON } = await bff<PublicKeyCredentialCreationOptionsJSON>("/api/me/passkeys/options", {
    method: "POST",
  });
  const response = await startRegistration({ optionsJSON });
  const { data } = await bff<Passkey>("/api/me/passkeys", {
    method: "POST",
    body: { name, response, endOtherSessions },
  });
  return data;
}

export async function renamePasskey(id: string, name: string): Promise<Passkey> {
  return (await bff<Passkey>(`/api/me/passkeys/${id}`, { method: "PATCH", body: { name } })).data;
}

/** The step-up proof is needed only when this is the account's last second factor. */
export async function removePasskey(id: string, proof: StepUp, endOtherSessions: boolean) {
  await bff(`/api/me/passkeys/${id}`, { method: "DELETE", body: { ...proof, endOtherSessions }, ...own401 });
}

/** What the BFF answers to a password (or passkey) sign-in. */
export type SignInAnswer = { user: unknown } | { mfaRequired: true; methods: MfaMethod[] };

/** A passkey assertion on a fresh single-use challenge; `autofill` waits for the Email field's suggestions. */
export async function assertPasskey({ autofill = false }: { autofill?: boolean } = {}) {
  const { data } = await bff<PasskeySignInOptions>("/api/auth/passkey/options", { method: "POST", ...own401 });
  const response = await startAuthentication({
    optionsJSON: data.options as unknown as PublicKeyCredentialRequestOptionsJSON,
    useBrowserAutofill: autofill,
  });
  return { challengeId: data.challengeId, response };
}

/** Passwordless sign-in: a user-verified passkey counts as both factors. */
export async function signInWithPasskey({ autofill = false }: { autofill?: boolean } = {}) {
  const body = await assertPasskey({ autofill });
  await bff("/api/auth/passkey", { method: "POST", body, ...own401 });
}

/** The second step after a password: a TOTP code, a recovery code, or a passkey. */
export async function finishSecondStep(proof: { code: string } | { recoveryCode: string } | { passkey: true }) {
  const body = "passkey" in proof ? await assertPasskey() : proof;
  await bff("/api/auth/signin/mfa", { method: "POST", body, ...own401 });
}
