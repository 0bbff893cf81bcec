import type { StepUp } from "@taskvault/contract/mfa";
import type { users } from "../db/schema.ts";
import { AppError, validationError } from "../errors.ts";
import type { AuthContext } from "./context.ts";
import { checkRecoveryCode, checkTotpCode, readMfaStatus, secondFactorMethods } from "./second-factors.ts";

/**
 * Step-up before a sensitive change (removing a factor, a new set of recovery codes, …): the
 * password, or for an account without one (single sign-on) a second factor. An account with
 * neither has nothing stronger to show than its session, which then suffices.
 */
export async function confirmStepUp(ctx: AuthContext, user: typeof users.$inferSelect, proof: StepUp): Promise<void> {
  if (user.passwordHash) {
    if (proof.password === undefined) throw validationError("password", "Enter your password");
    if (!(await ctx.passwords.verify(user.passwordHash, proof.password))) {
      throw new AppError("invalid_credentials", "The password is incorrect");
    }
    return;
  }
  if (secondFactorMethods(await readMfaStatus(ctx.db, user.id)).length === 0) return;
  if (proof.code !== undefined && (await checkTotpCode(ctx, user.id, proof.code))) return;
  if (proof.recoveryCode !== undefined && (await checkRecoveryCode(ctx, user.id, proof.recoveryCode))) return;
  throw new AppError("invalid_code", "Confirm with a code from your authenticator app or a recovery code");
}
