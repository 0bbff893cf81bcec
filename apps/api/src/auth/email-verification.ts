// Proving an address: the verification link sent at sign-up (and on request), and the confirmation
// link that moves an account to a new address. Both end in POST /auth/email/verify.
import type { Accepted, ChangeEmail, User } from "@taskvault/contract/auth";
import { and, desc, eq, sql } from "drizzle-orm";
import { mailOutbox, users } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { enqueueMessage } from "../mail/outbox.ts";
import { tooManyRequests } from "../plugins/rate-limit.ts";
import { emailTaken, isUniqueViolation } from "./accounts.ts";
import type { AuthContext, Caller, ClientInfo } from "./context.ts";
import { dropEmailTokens, spendEmailToken } from "./email-tokens.ts";
import { recordAuthEvent } from "./events.ts";
import { invalidEmailToken } from "./recovery.ts";
import { notifySecurityEvent } from "./security-notices.ts";
import { confirmStepUp } from "./step-up.ts";
import { findUser, toUser } from "./users.ts";

export const VERIFICATION_SENT: Accepted = { message: "A new verification link is on its way." };
export const EMAIL_CHANGE_REQUESTED: Accepted = {
  message: "A confirmation link is on its way to the new address; the address changes once it is followed.",
};

/** Spends a verification or email-change token: the address is proven, or the account moves to the new one. */
export async function verifyEmail(ctx: AuthContext, token: string, client: ClientInfo): Promise<User> {
  try {
    return await ctx.db.transaction(async (tx) => {
      const spent = await spendEmailToken(tx, token, ["verify_email", "change_email"]);
      if (!spent) throw invalidEmailToken();
      const now = new Date();
      if (spent.purpose === "verify_email") {
        const [user] = await tx
          .update(users)
          .set({ emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.toISOString()}::timestamptz)` })
          .where(eq(users.id, spent.userId))
          .returning();
        if (!user) throw invalidEmailToken();
        await dropEmailTokens(tx, user.id, "verify_email");
        await recordAuthEvent(tx, user.id, "email_verified", null, client);
        return toUser(user);
      }
      const [before] = await tx.select({ email: users.email }).from(users).where(eq(users.id, spent.userId));
      if (!before) throw invalidEmailToken();
      // The unique index decides a race for the address: the loser gets 409 and keeps its link.
      const [user] = await tx
        .update(users)
        .set({ email: spent.newEmail!, emailVerifiedAt: now, updatedAt: now })
        .where(eq(users.id, spent.userId))
        .returning();
      await recordAuthEvent(tx, user!.id, "email_changed", null, client);
      await notifySecurityEvent(tx, user!.id, "email_changed", client, {
        recipient: before.email,
        detail: `The new address is ${user!.email}.`,
      });
      return toUser(user!);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

/**
 * Sends a fresh verification link, at most one per AUTH_VERIFICATION_RESEND_SECONDS per account
 * (the sign-up's own message aside). The account row is locked meanwhile, so two requests at once
 * cannot both pass; the outbox itself is the record of when the last one was asked for.
 */
export async function resendVerification(ctx: AuthContext, caller: Caller): Promise<Accepted> {
  const windowMs = ctx.config.AUTH_VERIFICATION_RESEND_SECONDS * 1000;
  await ctx.db.transaction(async (tx) => {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, caller.userId)).for("update");
    const [last] = await tx
      .select({ createdAt: mailOutbox.createdAt })
      .from(mailOutbox)
      .where(
        and(
          eq(mailOutbox.userId, caller.userId),
          eq(mailOutbox.kind, "verify_email"),
          sql`${mailOutbox.data}->>'resend' = 'true'`,
        ),
      )
      .orderBy(desc(mailOutbox.createdAt))
      .limit(1);
    const waitMs = last ? last.createdAt.getTime() + windowMs - Date.now() : 0;
    if (waitMs > 0) throw tooManyRequests(waitMs, "A verification link was sent moments ago");
    await enqueueMessage(tx, { kind: "verify_email", userId: caller.userId, data: { resend: true } });
  });
  return VERIFICATION_SENT;
}

/** Starts an email change: a confirmation link to the new address, a notice to the current one. */
export async function requestEmailChange(
  ctx: AuthContext,
  caller: Caller,
  input: ChangeEmail,
  client: ClientInfo,
): Promise<Accepted> {
  const user = await findUser(ctx, caller.userId);
  await confirmStepUp(ctx, user, input);
  if (input.email === user.email) {
    throw new AppError("validation_failed", "This is already the account's address", {
      errors: { email: ["This is already your email address"] },
    });
  }
  const [taken] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (taken) throw emailTaken();
  await ctx.db.transaction(async (tx) => {
    await enqueueMessage(tx, {
      kind: "confirm_email_change",
      userId: user.id,
      recipient: input.email,
      data: { newEmail: input.email },
    });
    await enqueueMessage(tx, {
      kind: "email_change_requested",
      userId: user.id,
      recipient: user.email,
      data: { newEmail: input.email },
    });
    await recordAuthEvent(tx, user.id, "email_change_requested", caller.sessionId, client);
  });
  return EMAIL_CHANGE_REQUESTED;
}
