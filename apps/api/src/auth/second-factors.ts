/**
 * The second factors of an account: an authenticator app (auth/totp.ts) with its recovery codes
 * (auth/recovery-codes.ts), and passkeys (auth/passkeys.ts). This module holds what they share:
 * which ones an account has and checking a code. Decision 023.
 */
import type { AuthenticationResponseJSON } from "@simplewebauthn/server";
import type { MfaMethod, MfaStatus } from "@taskvault/contract/mfa";
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Executor } from "../db/client.ts";
import { rowsOf } from "../db/rows.ts";
import { sessions } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import type { AuthContext, Caller } from "./context.ts";
import { verifyPasskeyAssertion } from "./passkeys.ts";
import { spendRecoveryCode } from "./recovery-codes.ts";
import { decryptTotpSecret, matchTotpStep, spendTotpStep } from "./totp.ts";

/**
 * True when the account behind `userId` (an SQL expression) has a second factor: a confirmed
 * authenticator app or a passkey. Recovery codes alone are not one: they stand in for a lost
 * factor. The one definition, used by sign-in and by the refresh statement alike.
 */
export const hasSecondFactorSql = (userId: SQL) => sql`(
  exists (select 1 from totp_factors f where f.user_id = ${userId} and f.confirmed_at is not null)
  or exists (select 1 from passkeys p where p.user_id = ${userId}))`;

/** Which second factors the account has, as one row (`MfaStatusRow`): a statement or a CTE of one. */
export const mfaStatusSql = (userId: string) => sql`select
  exists (select 1 from totp_factors where user_id = ${userId} and confirmed_at is not null) as totp,
  (select count(*)::int from passkeys where user_id = ${userId}) as passkeys,
  (select count(*)::int from recovery_codes where user_id = ${userId} and used_at is null) as recovery_codes_left`;

export interface MfaStatusRow {
  totp: boolean;
  passkeys: number;
  recovery_codes_left: number;
}

export const toMfaStatus = (row: MfaStatusRow): MfaStatus => ({
  totp: row.totp,
  passkeys: Number(row.passkeys),
  recoveryCodesLeft: Number(row.recovery_codes_left),
});

/** `GET /me/mfa`, in one round trip. */
export async function readMfaStatus(db: Executor, userId: string): Promise<MfaStatus> {
  const [row] = rowsOf<MfaStatusRow>(await db.execute(mfaStatusSql(userId)));
  return toMfaStatus(row!);
}

/** The ways the account can give its second step; empty when it has no second factor. */
export function secondFactorMethods(status: MfaStatus): MfaMethod[] {
  if (!status.totp && status.passkeys === 0) return [];
  const methods: MfaMethod[] = [];
  if (status.totp) methods.push("totp");
  if (status.recoveryCodesLeft > 0) methods.push("recovery_code");
  if (status.passkeys > 0) methods.push("passkey");
  return methods;
}

/**
 * The encrypted secret of the account's active (confirmed) authenticator app, null without one:
 * a scalar subquery, so the second step of a sign-in reads it in the statement that claims the
 * attempt (auth/sign-in.ts).
 */
export const activeTotpSecretSql = (userId: SQL) =>
  sql`(select f.secret_encrypted from totp_factors f where f.user_id = ${userId} and f.confirmed_at is not null)`;

/** The time step of `code` if it is one of the active app's (`secretEncrypted`) around now; spends nothing. */
export function matchTotpCode(
  ctx: AuthContext,
  userId: string,
  secretEncrypted: string | null,
  code: string,
): number | null {
  if (secretEncrypted === null) return null;
  return matchTotpStep(decryptTotpSecret(ctx.keyEncryptionKey, userId, secretEncrypted), code);
}

/** Checks a code of the account's active authenticator app and spends it (each code once). */
export async function checkTotpCode(ctx: AuthContext, userId: string, code: string): Promise<boolean> {
  const [factor] = rowsOf<{ secret: string | null }>(
    await ctx.db.execute(sql`select ${activeTotpSecretSql(sql`${userId}`)} as secret`),
  );
  const step = matchTotpCode(ctx, userId, factor?.secret ?? null, code);
  return step !== null && spendTotpStep(ctx.db, userId, step, false);
}

export const checkRecoveryCode = (ctx: AuthContext, userId: string, code: string) =>
  spendRecoveryCode(ctx.db, ctx.recoveryCodeKey, userId, code);

/**
 * Checks an assertion by one of this account's passkeys, made on a challenge from
 * `POST /auth/passkey/options` (spent whatever the outcome); false for any refusal.
 */
export function checkPasskeyAssertion(
  ctx: AuthContext,
  userId: string,
  challengeId: string,
  response: unknown,
): Promise<boolean> {
  return verifyPasskeyAssertion(
    ctx.db,
    ctx.relyingParty,
    challengeId,
    response as AuthenticationResponseJSON,
    userId,
  ).then(
    () => true,
    (error: unknown) => {
      if (error instanceof AppError) return false;
      throw error;
    },
  );
}

/** Marks the caller's session as one that has shown a second factor (it enrolled or used one). */
export async function markSessionSecondFactor(tx: Executor, caller: Caller): Promise<void> {
  await tx
    .update(sessions)
    .set({ secondFactor: true })
    .where(and(eq(sessions.userId, caller.userId), eq(sessions.id, caller.sessionId)));
}
