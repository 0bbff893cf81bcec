// Tokens sent by email (verification, password reset, new-address confirmation), as The Copenhagen
// Book's "Email verification" and "Password reset" pages lay them out: 256 random bits, only a
// SHA-256 hash stored, single use (spent by deleting the row, so two presentations cannot both
// win), a short life, and for resets and email changes only the newest one valid.
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, inArray, lte, or } from "drizzle-orm";
import type { Executor } from "../db/client.ts";
import { emailTokens } from "../db/schema.ts";

export type EmailTokenPurpose = "verify_email" | "reset_password" | "change_email";

const TOKEN_BYTES = 32;
const LIFETIME_MS: Record<EmailTokenPurpose, number> = {
  verify_email: 24 * 3600 * 1000,
  reset_password: 30 * 60 * 1000,
  change_email: 24 * 3600 * 1000,
};
/** Purposes where a new token makes the earlier ones worthless. */
const NEWEST_ONLY = new Set<EmailTokenPurpose>(["reset_password", "change_email"]);

const hashToken = (token: string) => createHash("sha256").update(token).digest("base64url");

/** Stores a fresh token's hash and returns the token, which only the message will carry. */
export async function mintEmailToken(
  db: Executor,
  userId: string,
  purpose: EmailTokenPurpose,
  newEmail: string | null = null,
): Promise<string> {
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  const now = new Date();
  // Drop the superseded tokens of this purpose and the user's expired ones of any purpose.
  await db
    .delete(emailTokens)
    .where(
      and(
        eq(emailTokens.userId, userId),
        or(NEWEST_ONLY.has(purpose) ? eq(emailTokens.purpose, purpose) : undefined, lte(emailTokens.expiresAt, now)),
      ),
    );
  await db.insert(emailTokens).values({
    tokenHash: hashToken(token),
    userId,
    purpose,
    newEmail,
    createdAt: now,
    expiresAt: new Date(now.getTime() + LIFETIME_MS[purpose]),
  });
  return token;
}

export interface SpentToken {
  userId: string;
  purpose: EmailTokenPurpose;
  newEmail: string | null;
}

/** Whether a token is live, without spending it (so a request with a dead token costs no hashing). */
export async function isLiveEmailToken(db: Executor, token: string, purposes: EmailTokenPurpose[]): Promise<boolean> {
  const [row] = await db.select({ userId: emailTokens.userId }).from(emailTokens).where(liveToken(token, purposes));
  return row !== undefined;
}

/** Spends a live token of one of `purposes`; null when it is unknown, spent, superseded or expired. */
export async function spendEmailToken(
  tx: Executor,
  token: string,
  purposes: EmailTokenPurpose[],
): Promise<SpentToken | null> {
  const [row] = await tx
    .delete(emailTokens)
    .where(liveToken(token, purposes))
    .returning({ userId: emailTokens.userId, purpose: emailTokens.purpose, newEmail: emailTokens.newEmail });
  return row ? { userId: row.userId, purpose: row.purpose as EmailTokenPurpose, newEmail: row.newEmail } : null;
}

/** Spends every remaining token of a purpose (verifying once makes the other verification links pointless). */
export async function dropEmailTokens(tx: Executor, userId: string, purpose: EmailTokenPurpose): Promise<void> {
  await tx.delete(emailTokens).where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose)));
}

const liveToken = (token: string, purposes: EmailTokenPurpose[]) =>
  and(
    eq(emailTokens.tokenHash, hashToken(token)),
    inArray(emailTokens.purpose, purposes),
    gt(emailTokens.expiresAt, new Date()),
  );
