/**
 * TOTP, RFC 6238 (HOTP, RFC 4226, over 30-second time steps) with SHA-1 and 6 digits, the
 * parameters every authenticator app understands (Key URI format: `otpauth://totp/…`).
 *
 * - Secrets are 160 random bits (RFC 4226 §4 R6), encrypted at rest under the key-encryption key
 *   that protects the token-signing keys (auth/secrets.ts), bound to the owner's id.
 * - A code is accepted one time step either side of now (RFC 6238 §5.2, clock drift) and only once:
 *   the factor keeps the time step of the last accepted code and accepts only later steps. The
 *   check and the update are one compare-and-set statement, so two requests carrying the same code
 *   cannot both pass, on one instance or on several.
 */
import { type SQL, sql } from "drizzle-orm";
import { Secret, TOTP } from "otpauth";
import type { Executor } from "../db/client.ts";
import { rowsOf } from "../db/rows.ts";
import { decrypt, encrypt } from "./secrets.ts";

const ALGORITHM = "SHA1";
const DIGITS = 6;
const PERIOD_SECONDS = 30;
const SECRET_BYTES = 20;
/** Steps either side of now that are still accepted. */
const WINDOW = 1;
const ISSUER = "Taskvault";

/** A fresh secret in base32, as authenticator apps and the otpauth URI take it. */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The `otpauth://totp/…` URI a QR code carries. */
export function totpUri(secret: string, accountName: string): string {
  return new TOTP({
    issuer: ISSUER,
    label: accountName,
    secret: Secret.fromBase32(secret),
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD_SECONDS,
  }).toString();
}

/** The code for the step that contains `timestamp` (ms): for tests and the bench. */
export function totpCode(secret: string, timestamp = Date.now()): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD_SECONDS,
    timestamp,
  });
}

/** The time step a code belongs to when it matches now ±1 step, else null. Spends nothing. */
export function matchTotpStep(secret: string, code: string, now = Date.now()): number | null {
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secret),
    algorithm: ALGORITHM,
    digits: DIGITS,
    period: PERIOD_SECONDS,
    timestamp: now,
    window: WINDOW,
  });
  return delta === null ? null : TOTP.counter({ period: PERIOD_SECONDS, timestamp: now }) + delta;
}

const associatedData = (userId: string) => `totp:${userId}`;

export const encryptTotpSecret = (key: Buffer, userId: string, secret: string) =>
  encrypt(key, secret, associatedData(userId));

export const decryptTotpSecret = (key: Buffer, userId: string, secretEncrypted: string) =>
  decrypt(key, secretEncrypted, associatedData(userId));

/**
 * The compare-and-set that spends a code's time step: it updates the factor (and returns its
 * `user_id`) only if no code of this step or a later one was accepted before. `confirming` spends
 * it on a pending enrolment (and activates it), otherwise on an active factor. A statement of its
 * own (`spendTotpStep`) or a part of one: the second step of a sign-in finishes with it
 * (auth/sign-in.ts).
 */
export function totpStepSpend(userId: string, step: number, confirming: boolean): SQL {
  return sql`update totp_factors
    set last_used_step = ${step}${confirming ? sql`, confirmed_at = now()` : sql``}
    where user_id = ${userId} and confirmed_at is ${confirming ? sql`null` : sql`not null`}
      and (last_used_step is null or last_used_step < ${step})
    returning user_id`;
}

/** Spends a code's time step (`totpStepSpend`): true only if no code of this step or a later one was accepted before. */
export async function spendTotpStep(db: Executor, userId: string, step: number, confirming: boolean): Promise<boolean> {
  return rowsOf(await db.execute(totpStepSpend(userId, step, confirming))).length === 1;
}
