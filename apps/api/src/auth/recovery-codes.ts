/**
 * Recovery codes: the way back in when the authenticator is lost. Ten per set, each 60 random
 * bits (12 characters of a 32-letter alphabet without look-alikes), shown once, stored only as a
 * keyed hash, each accepted once; a new set replaces the old one whole.
 *
 * Why HMAC-SHA-256 and not Argon2: a code has 60 bits of entropy, not a person's choice, so there
 * is no dictionary to run. Online, guesses are bounded by the sign-in back-off and the five tries
 * of an `mfaToken`; offline, the key lives outside the database (derived from AUTH_KEY_SECRET),
 * so a stolen table alone allows no guessing at all, and even with the key 2^60 candidates per
 * code is out of reach. A fast hash also keeps a recovery sign-in to one Argon2 computation, the
 * password's (decision 023).
 */
import { createHmac, randomInt } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Executor } from "../db/client.ts";
import { recoveryCodes } from "../db/schema.ts";

const CODES_PER_SET = 10;
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const GROUPS = 3;
const GROUP_LENGTH = 4;

function newRecoveryCode(): string {
  const groups: string[] = [];
  for (let group = 0; group < GROUPS; group++) {
    let text = "";
    for (let i = 0; i < GROUP_LENGTH; i++) text += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(text);
  }
  return groups.join("-");
}

/** Case, spaces and dashes are not part of a code, so "abcd efgh-jklm" is "ABCDEFGHJKLM". */
const normalize = (code: string) => code.toUpperCase().replace(/[\s-]/g, "");

const hashRecoveryCode = (key: Buffer, code: string) =>
  createHmac("sha256", key).update(normalize(code)).digest("base64url");

/** Replaces the account's codes with a fresh set and returns it (the only time it is shown). */
export async function replaceRecoveryCodes(tx: Executor, key: Buffer, userId: string): Promise<string[]> {
  const codes = Array.from({ length: CODES_PER_SET }, newRecoveryCode);
  const createdAt = new Date();
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await tx
    .insert(recoveryCodes)
    .values(codes.map((code) => ({ userId, codeHash: hashRecoveryCode(key, code), createdAt })));
  return codes;
}

/** Spends a code: true once for a valid unused code, false ever after (one atomic update). */
export async function spendRecoveryCode(db: Executor, key: Buffer, userId: string, code: string): Promise<boolean> {
  const spent = await db
    .update(recoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(recoveryCodes.userId, userId),
        eq(recoveryCodes.codeHash, hashRecoveryCode(key, code)),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ userId: recoveryCodes.userId });
  return spent.length === 1;
}

export async function deleteRecoveryCodes(tx: Executor, userId: string): Promise<void> {
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
}
