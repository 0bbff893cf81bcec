import type { StepUp } from "@taskvault/contract/mfa";
import type { users } from "../db/schema.ts";
import { AppError, validationError } from "../errors.ts";
import type { AuthContext } from "./context.ts";
import {
  checkPasskeyAssertion,
  checkRecoveryCode,
  checkTotpCode,
  readMfaStatus,
  secondFactorMethods,
} from "./second-factors.ts";

/** What the OpenAPI description of a route that asks for a step-up says of its proof. */
export const STEP_UP_PROOF_NOTE =
  "Needs `password`; an account without one confirms with a second factor: `code`, `recoveryCode`, " +
  "or a passkey assertion (`challengeId` from POST /auth/passkey/options, `response`).";

/**
 * Step-up before a sensitive change (removing a factor, new recovery codes, changing the email or
 * password, an API token, deleting the account): the password, or for an account without one
 * (single sign-on) a second factor: a TOTP code, a recovery code or a passkey assertion, each
 * spent like a sign-in's. An account with neither has nothing stronger to show than its session,
 * which then suffices. `passwordField` names the body's password field in a 422.
 */
export async function confirmStepUp(
  ctx: AuthContext,
  user: typeof users.$inferSelect,
  proof: StepUp,
  passwordField = "password",
): Promise<void> {
  if (user.passwordHash) {
    if (proof.password === undefined) throw validationError(passwordField, "Enter your password");
    if (!(await ctx.passwords.verify(user.passwordHash, proof.password))) {
      throw new AppError("invalid_credentials", "The password is incorrect");
    }
    return;
  }
  if (secondFactorMethods(await readMfaStatus(ctx.db, user.id)).length === 0) return;
  if (proof.code !== undefined && (await checkTotpCode(ctx, user.id, proof.code))) return;
  if (proof.recoveryCode !== undefined && (await checkRecoveryCode(ctx, user.id, proof.recoveryCode))) return;
  if (
    proof.challengeId !== undefined &&
    proof.response !== undefined &&
    (await checkPasskeyAssertion(ctx, user.id, proof.challengeId, proof.response))
  ) {
    return;
  }
  throw new AppError("invalid_code", "Confirm with your authenticator app, a recovery code or a passkey");
}
