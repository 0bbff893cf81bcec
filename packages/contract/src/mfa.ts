import { z } from "zod";
import { DateTime, hasNoNul, Id, NO_NUL_MESSAGE } from "./common.ts";

/** `GET /api/v1/me/mfa`. */
export const MfaStatus = z.object({
  totp: z.boolean(),
  passkeys: z.number().int(),
  recoveryCodesLeft: z.number().int(),
});
export type MfaStatus = z.infer<typeof MfaStatus>;

/** Six digits; spaces people copy from an authenticator app ("123 456") are dropped. */
export const TotpCode = z
  .string()
  .max(32)
  .transform((value) => value.replace(/\s/g, ""))
  .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app"));

/** As shown ("ABCD-EFGH-JKLM"); case, dashes and spaces do not matter. */
export const RecoveryCode = z.string().trim().min(1, "Enter a recovery code").max(64);

const PasswordInput = z.string().min(1, "Enter your password").max(1024);

const ChallengeId = z.string().min(1).max(64);

/** A WebAuthn response as `PublicKeyCredential.toJSON()` (or @simplewebauthn/browser) gives it. */
const CredentialJson = z.looseObject({
  id: z.string().min(1).max(1024),
  rawId: z.string().min(1).max(1024),
  type: z.literal("public-key"),
  response: z.looseObject({ clientDataJSON: z.string().max(8192) }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().max(32).optional(),
});

export const AttestationResponse = CredentialJson.extend({
  response: z.looseObject({
    clientDataJSON: z.string().max(8192),
    attestationObject: z.string().max(32768),
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
});

export const AssertionResponse = CredentialJson.extend({
  response: z.looseObject({
    clientDataJSON: z.string().max(8192),
    authenticatorData: z.string().max(8192),
    signature: z.string().max(2048),
    userHandle: z.string().max(1024).nullish(),
  }),
});

/**
 * The second factors a step-up takes from an account without a password: a TOTP code, a
 * recovery code, or a passkey assertion made on a challenge from `POST /auth/passkey/options`.
 */
export const StepUpFactors = {
  code: TotpCode.optional(),
  recoveryCode: RecoveryCode.optional(),
  challengeId: ChallengeId.optional(),
  response: AssertionResponse.optional(),
};

/**
 * Step-up proof for sensitive changes: the password; an account without one (single sign-on)
 * confirms with a second factor instead (StepUpFactors).
 */
export const StepUp = z.strictObject({ password: PasswordInput.optional(), ...StepUpFactors });
export type StepUp = z.infer<typeof StepUp>;

/** ASVS 7.4.3: adding or removing a factor offers to end every other session. */
const EndOtherSessions = z.boolean().optional();

/** `DELETE /me/mfa/totp`, `DELETE /me/passkeys/{id}`. */
export const RemoveFactor = StepUp.extend({ endOtherSessions: EndOtherSessions });
export type RemoveFactor = z.infer<typeof RemoveFactor>;

/** `POST /me/mfa/totp` → the pending enrolment. */
export const TotpEnrolment = z.object({ secret: z.string(), otpauthUri: z.string() });
export type TotpEnrolment = z.infer<typeof TotpEnrolment>;

export const ConfirmTotp = z.strictObject({ code: TotpCode, endOtherSessions: EndOtherSessions });
export type ConfirmTotp = z.infer<typeof ConfirmTotp>;

/** Shown once: at TOTP confirmation and when regenerated. */
export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });
export type RecoveryCodes = z.infer<typeof RecoveryCodes>;

export const MfaMethod = z.enum(["totp", "recovery_code", "passkey"]);
export type MfaMethod = z.infer<typeof MfaMethod>;

/** The password step of an account with a second factor: no token yet. */
export const MfaRequired = z.object({
  mfaRequired: z.literal(true),
  mfaToken: z.string(),
  methods: z.array(MfaMethod),
});
export type MfaRequired = z.infer<typeof MfaRequired>;

const MfaToken = z.string().min(1).max(256);

/**
 * `POST /auth/signin/mfa`: one of a TOTP code, a recovery code, or a passkey assertion made on a
 * challenge from `POST /auth/passkey/options`.
 */
export const SignInMfa = z.union([
  z.strictObject({ mfaToken: MfaToken, code: TotpCode }),
  z.strictObject({ mfaToken: MfaToken, recoveryCode: RecoveryCode }),
  z.strictObject({ mfaToken: MfaToken, challengeId: ChallengeId, response: AssertionResponse }),
]);
export type SignInMfa = z.infer<typeof SignInMfa>;

const PasskeyName = z
  .string()
  .trim()
  .min(1, "Give the passkey a name")
  .max(100, "Name must be at most 100 characters")
  .refine(hasNoNul, NO_NUL_MESSAGE);

export const Passkey = z.object({
  id: Id,
  name: z.string(),
  createdAt: DateTime,
  lastUsedAt: DateTime.nullable(),
  /** Backed up to a passkey provider (synced across devices) rather than bound to this device. */
  synced: z.boolean(),
  /** How the browser can reach the authenticator (`internal`, `hybrid`, `usb`, …). */
  transports: z.array(z.string()),
});
export type Passkey = z.infer<typeof Passkey>;

export const PasskeyList = z.array(Passkey);

export const CreatePasskey = z.strictObject({
  name: PasskeyName,
  response: AttestationResponse,
  endOtherSessions: EndOtherSessions,
});
export type CreatePasskey = z.infer<typeof CreatePasskey>;

export const RenamePasskey = z.strictObject({ name: PasskeyName });
export type RenamePasskey = z.infer<typeof RenamePasskey>;

export const PasskeyParams = z.object({ id: z.string() });

/** WebAuthn creation or request options in their JSON form, passed to the browser as they are. */
export const WebAuthnOptions = z.record(z.string(), z.unknown());
export type WebAuthnOptions = z.infer<typeof WebAuthnOptions>;

export const PasskeySignInOptions = z.object({ challengeId: z.string(), options: WebAuthnOptions });
export type PasskeySignInOptions = z.infer<typeof PasskeySignInOptions>;

export const PasskeySignIn = z.strictObject({ challengeId: ChallengeId, response: AssertionResponse });
export type PasskeySignIn = z.infer<typeof PasskeySignIn>;
