/**
 * What the signed-in user does to their own second factors (/api/v1/me/mfa, /api/v1/me/passkeys):
 * set up and remove the authenticator app, renew recovery codes, add, rename and remove passkeys.
 * Every change is a security event and may end every other session (ASVS 7.4.3). Decision 023.
 */

import type { RegistrationResponseJSON } from "@simplewebauthn/server";
import type { AuthEventType } from "@taskvault/contract/events";
import type {
  ConfirmTotp,
  CreatePasskey,
  MfaStatus,
  Passkey,
  RecoveryCodes,
  RemoveFactor,
  StepUp,
  TotpEnrolment,
} from "@taskvault/contract/mfa";
import { eq, isNull } from "drizzle-orm";
import type { Executor, Transaction } from "../db/client.ts";
import { totpFactors, users } from "../db/schema.ts";
import { AppError, validationError } from "../errors.ts";
import type { SecurityEvent } from "../mail/templates.ts";
import type { AuthContext, Caller, ClientInfo } from "./context.ts";
import { recordAuthEvent } from "./events.ts";
import { createRegistrationOptions, deletePasskey, listPasskeys, registerPasskey, renamePasskey } from "./passkeys.ts";
import { deleteRecoveryCodes, replaceRecoveryCodes } from "./recovery-codes.ts";
import type { RevokedSession } from "./revocation.ts";
import { markSessionSecondFactor, readMfaStatus } from "./second-factors.ts";
import { notifySecurityEvent } from "./security-notices.ts";
import { revokeSessionsIn } from "./sessions.ts";
import { confirmStepUp } from "./step-up.ts";
import { decryptTotpSecret, encryptTotpSecret, matchTotpStep, newTotpSecret, spendTotpStep, totpUri } from "./totp.ts";
import { findUser } from "./users.ts";

export const getMfaStatus = (ctx: AuthContext, caller: Caller): Promise<MfaStatus> =>
  readMfaStatus(ctx.db, caller.userId);

/**
 * Runs a factor change in one transaction that holds the account's row lock, so concurrent
 * changes of one account's factors happen one after the other (two removals cannot each believe
 * the other passkey is still there). Then tells every instance about the sessions it ended.
 */
async function changeFactors<T>(
  ctx: AuthContext,
  userId: string,
  change: (tx: Transaction) => Promise<[T, RevokedSession[]]>,
): Promise<T> {
  const [result, revoked] = await ctx.db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for("update");
    return change(tx);
  });
  ctx.revocations.publish(revoked);
  return result;
}

/** The factor changes the owner is told of by email (mail/templates.ts SECURITY_NOTICES). */
const FACTOR_NOTICES: Partial<Record<AuthEventType, SecurityEvent>> = {
  totp_enabled: "second_factor_added",
  totp_disabled: "second_factor_removed",
  passkey_added: "passkey_added",
  passkey_removed: "passkey_removed",
};

/**
 * Records a factor change inside its transaction: the security event, and when asked, the end of
 * every other session (ASVS 7.4.3). Returns the sessions to publish as revoked after commit.
 */
async function recordFactorChange(
  ctx: AuthContext,
  tx: Executor,
  caller: Caller,
  type: AuthEventType,
  client: ClientInfo,
  endOtherSessions: boolean | undefined,
) {
  await recordAuthEvent(tx, caller.userId, type, caller.sessionId, client);
  const notice = FACTOR_NOTICES[type];
  if (notice) await notifySecurityEvent(tx, caller.userId, notice, client);
  if (!endOtherSessions) return [];
  return revokeSessionsIn(ctx, tx, caller.userId, { allExcept: caller.sessionId }, "second_factor_changed");
}

/** Starts (or restarts) setting up an authenticator app: a new secret, pending until a code confirms it. */
export async function startTotpEnrolment(ctx: AuthContext, caller: Caller, proof: StepUp): Promise<TotpEnrolment> {
  const user = await findUser(ctx, caller.userId);
  await confirmStepUp(ctx, user, proof);
  const secret = newTotpSecret();
  const secretEncrypted = encryptTotpSecret(ctx.keyEncryptionKey, user.id, secret);
  const [pending] = await ctx.db
    .insert(totpFactors)
    .values({ userId: user.id, secretEncrypted, createdAt: new Date() })
    .onConflictDoUpdate({
      target: totpFactors.userId,
      set: { secretEncrypted, createdAt: new Date(), lastUsedStep: null },
      // An active factor is never replaced behind the user's back: remove it first.
      setWhere: isNull(totpFactors.confirmedAt),
    })
    .returning({ userId: totpFactors.userId });
  if (!pending) throw new AppError("conflict", "An authenticator app is already set up; remove it first");
  return { secret, otpauthUri: totpUri(secret, user.email) };
}

/** A first code activates the pending app; the account gets its recovery codes, shown this once. */
export async function confirmTotpEnrolment(
  ctx: AuthContext,
  caller: Caller,
  input: ConfirmTotp,
  client: ClientInfo,
): Promise<RecoveryCodes> {
  const [pending] = await ctx.db.select().from(totpFactors).where(eq(totpFactors.userId, caller.userId));
  if (!pending || pending.confirmedAt) {
    throw new AppError("conflict", "There is no authenticator app being set up; start again");
  }
  const secret = decryptTotpSecret(ctx.keyEncryptionKey, caller.userId, pending.secretEncrypted);
  const step = matchTotpStep(secret, input.code);
  return changeFactors(ctx, caller.userId, async (tx) => {
    if (step === null || !(await spendTotpStep(tx, caller.userId, step, true))) {
      throw new AppError("invalid_code", "The code is not right; check the time on your device and try again");
    }
    const recoveryCodes = await replaceRecoveryCodes(tx, ctx.recoveryCodeKey, caller.userId);
    await markSessionSecondFactor(tx, caller);
    const revoked = await recordFactorChange(ctx, tx, caller, "totp_enabled", client, input.endOtherSessions);
    return [{ recoveryCodes }, revoked];
  });
}

export async function removeTotp(ctx: AuthContext, caller: Caller, input: RemoveFactor, client: ClientInfo) {
  const user = await findUser(ctx, caller.userId);
  await confirmStepUp(ctx, user, input);
  await changeFactors(ctx, user.id, async (tx) => {
    const removed = await tx
      .delete(totpFactors)
      .where(eq(totpFactors.userId, user.id))
      .returning({ confirmedAt: totpFactors.confirmedAt });
    if (!removed[0]?.confirmedAt) throw new AppError("not_found", "No authenticator app is set up");
    // Recovery codes stand in for a lost factor; with no factor left they would be a way round nothing.
    if ((await readMfaStatus(tx, user.id)).passkeys === 0) await deleteRecoveryCodes(tx, user.id);
    return [undefined, await recordFactorChange(ctx, tx, caller, "totp_disabled", client, input.endOtherSessions)];
  });
}

/** A fresh set of recovery codes; the old set stops working. */
export async function regenerateRecoveryCodes(
  ctx: AuthContext,
  caller: Caller,
  proof: StepUp,
  client: ClientInfo,
): Promise<RecoveryCodes> {
  const user = await findUser(ctx, caller.userId);
  await confirmStepUp(ctx, user, proof);
  return changeFactors(ctx, user.id, async (tx) => {
    const status = await readMfaStatus(tx, user.id);
    if (!status.totp && status.passkeys === 0) {
      throw new AppError("conflict", "Set up an authenticator app or a passkey first");
    }
    const recoveryCodes = await replaceRecoveryCodes(tx, ctx.recoveryCodeKey, user.id);
    return [{ recoveryCodes }, await recordFactorChange(ctx, tx, caller, "recovery_codes_generated", client, false)];
  });
}

export async function startPasskeyRegistration(ctx: AuthContext, caller: Caller) {
  const user = await findUser(ctx, caller.userId);
  return createRegistrationOptions(ctx.db, ctx.relyingParty, user);
}

/** Registering is itself a user-verified ceremony, so this session counts as having shown a second factor. */
export async function addPasskey(
  ctx: AuthContext,
  caller: Caller,
  input: CreatePasskey,
  client: ClientInfo,
): Promise<Passkey> {
  return changeFactors(ctx, caller.userId, async (tx) => {
    const passkey = await registerPasskey(
      tx,
      ctx.relyingParty,
      caller.userId,
      input.name,
      input.response as unknown as RegistrationResponseJSON,
    );
    await markSessionSecondFactor(tx, caller);
    return [passkey, await recordFactorChange(ctx, tx, caller, "passkey_added", client, input.endOtherSessions)];
  });
}

export const listMyPasskeys = (ctx: AuthContext, caller: Caller) => listPasskeys(ctx.db, caller.userId);

export async function renameMyPasskey(
  ctx: AuthContext,
  caller: Caller,
  id: string,
  name: string,
  client: ClientInfo,
): Promise<Passkey> {
  return changeFactors(ctx, caller.userId, async (tx) => {
    const passkey = await renamePasskey(tx, caller.userId, id, name);
    return [passkey, await recordFactorChange(ctx, tx, caller, "passkey_renamed", client, false)];
  });
}

/** Removing the account's last second factor needs the step-up (contract); any other passkey does not. */
export async function removePasskey(
  ctx: AuthContext,
  caller: Caller,
  id: string,
  input: RemoveFactor,
  client: ClientInfo,
): Promise<void> {
  const user = await findUser(ctx, caller.userId);
  // Not the caller's passkey: 404 before any talk of passwords.
  if (!(await listPasskeys(ctx.db, user.id)).some((passkey) => passkey.id === id)) {
    throw new AppError("not_found", "No such passkey");
  }
  const isLastFactor = (status: MfaStatus) => !status.totp && status.passkeys <= 1;
  // Argon2 runs before the row lock is taken; under the lock the answer is checked again.
  const steppedUp = isLastFactor(await readMfaStatus(ctx.db, user.id));
  if (steppedUp) await confirmStepUp(ctx, user, input);
  await changeFactors(ctx, user.id, async (tx) => {
    if (!steppedUp && isLastFactor(await readMfaStatus(tx, user.id))) {
      throw validationError("password", "Enter your password to remove your last second factor");
    }
    await deletePasskey(tx, user.id, id);
    const after = await readMfaStatus(tx, user.id);
    if (!after.totp && after.passkeys === 0) await deleteRecoveryCodes(tx, user.id);
    return [undefined, await recordFactorChange(ctx, tx, caller, "passkey_removed", client, input.endOtherSessions)];
  });
}
