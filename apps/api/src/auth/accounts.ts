import type {
  ChangePassword,
  DeleteMe,
  Preferences,
  Session,
  SignUp,
  UpdateMe,
  UpdatePreferences,
  User,
} from "@taskvault/contract/auth";
import { eq } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import {
  authEvents,
  changeSeqs,
  changes,
  idempotencyKeys,
  lists,
  mailOutbox,
  pendingChanges,
  refreshTokens,
  sessions,
  todos,
  users,
} from "../db/schema.ts";
import { AppError, validationError } from "../errors.ts";
import { enqueueMessage } from "../mail/outbox.ts";
import { apiTokenIdsOf } from "./api-tokens.ts";
import type { AuthContext, Caller, ClientInfo } from "./context.ts";
import { recordAuthEvent } from "./events.ts";
import { notifySecurityEvent } from "./security-notices.ts";
import { revokeSessionsIn, startSession } from "./sessions.ts";
import { confirmStepUp } from "./step-up.ts";
import { findUser, toUser } from "./users.ts";

const UNIQUE_VIOLATION = "23505";

export const commonPasswordError = (field: string) =>
  validationError(field, "This password is too common; choose one that is harder to guess");

export async function signUp(ctx: AuthContext, input: SignUp, client: ClientInfo): Promise<Session> {
  if (ctx.passwords.isCommon(input.password)) throw commonPasswordError("password");
  const [existing] = await ctx.db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (existing) throw emailTaken();
  const passwordHash = await ctx.passwords.hash(input.password);
  const now = new Date();
  try {
    return await ctx.db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({
          id: uuidv7(),
          email: input.email,
          name: input.name ?? "",
          passwordHash,
          createdAt: now,
          updatedAt: now,
        })
        .returning();
      await enqueueMessage(tx, { kind: "verify_email", userId: user!.id });
      // A new account has no second factor yet: nothing for completeSignIn (auth/sign-in.ts) to ask.
      return startSession(ctx, tx, user!, client, "signed_up", false);
    });
  } catch (error) {
    // Two sign-ups for one address at once: the unique index decides, the loser gets a 409.
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

export const emailTaken = () => new AppError("email_taken", "An account with this email already exists");

export function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    if ((current as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
  }
  return false;
}

export async function getMe(ctx: AuthContext, caller: Caller): Promise<User> {
  return toUser(await findUser(ctx, caller.userId));
}

export async function getPreferences(ctx: AuthContext, caller: Caller): Promise<Preferences> {
  return toPreferences(await findUser(ctx, caller.userId));
}

export async function updatePreferences(
  ctx: AuthContext,
  caller: Caller,
  input: UpdatePreferences,
): Promise<Preferences> {
  const [user] = await ctx.db
    .update(users)
    .set({
      ...(input.timezone !== undefined && { timezone: input.timezone }),
      ...(input.emailReminders !== undefined && { emailReminders: input.emailReminders }),
      updatedAt: new Date(),
    })
    .where(eq(users.id, caller.userId))
    .returning();
  if (!user) throw new AppError("invalid_token", "The account no longer exists");
  return toPreferences(user);
}

const toPreferences = (user: typeof users.$inferSelect): Preferences => ({
  timezone: user.timezone,
  emailReminders: user.emailReminders,
});

export async function updateMe(ctx: AuthContext, caller: Caller, input: UpdateMe): Promise<User> {
  const [user] = await ctx.db
    .update(users)
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.timezone !== undefined && { timezone: input.timezone }),
      updatedAt: new Date(),
    })
    .where(eq(users.id, caller.userId))
    .returning();
  if (!user) throw new AppError("invalid_token", "The account no longer exists");
  return toUser(user);
}

/** Changes the password and ends every other session (a thief's included); this one goes on. */
export async function changePassword(
  ctx: AuthContext,
  caller: Caller,
  input: ChangePassword,
  client: ClientInfo,
): Promise<void> {
  const user = await findUser(ctx, caller.userId);
  // An account without a password (single sign-on) sets its first one here, confirming with a
  // second factor if it has one.
  const { currentPassword: password, code, recoveryCode, challengeId, response } = input;
  await confirmStepUp(ctx, user, { password, code, recoveryCode, challengeId, response }, "currentPassword");
  if (ctx.passwords.isCommon(input.newPassword)) throw commonPasswordError("newPassword");
  const passwordHash = await ctx.passwords.hash(input.newPassword);
  const revoked = await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, caller.userId));
    await recordAuthEvent(tx, caller.userId, "password_changed", caller.sessionId, client);
    await notifySecurityEvent(tx, caller.userId, "password_changed", client);
    return revokeSessionsIn(ctx, tx, caller.userId, { allExcept: caller.sessionId }, "password_changed");
  });
  ctx.revocations.publish(revoked);
}

/** Deletes the account and everything it owns in one transaction; its tokens die at once. */
export async function deleteAccount(ctx: AuthContext, caller: Caller, input: DeleteMe): Promise<void> {
  const user = await findUser(ctx, caller.userId);
  await confirmStepUp(ctx, user, input);
  const revoked = await ctx.db.transaction(async (tx) => {
    const owned = await tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id));
    // API tokens share the revoked set with sessions: refused at once on every instance (their rows
    // go with the user row).
    const recorded = await ctx.revocations.record(tx, user.id, [
      ...owned.map((row) => row.id),
      ...(await apiTokenIdsOf(tx, user.id)),
    ]);
    // The lists' rows before their todos, as a list's deletion takes them: someone accepting an
    // invitation to one holds its row, then waits for the list's writers (drizzle/0011), which
    // deleting the todos would be, still holding them, while waiting for the row.
    await tx.select({ id: lists.id }).from(lists).where(eq(lists.userId, user.id)).for("update");
    await tx.delete(todos).where(eq(todos.userId, user.id));
    await tx.delete(lists).where(eq(lists.userId, user.id));
    await tx.delete(idempotencyKeys).where(eq(idempotencyKeys.userId, user.id));
    // Unsent messages about the account go too (its email tokens go with the user row).
    await tx.delete(mailOutbox).where(eq(mailOutbox.userId, user.id));
    await tx.delete(refreshTokens).where(eq(refreshTokens.userId, user.id));
    await tx.delete(sessions).where(eq(sessions.userId, user.id));
    await tx.delete(users).where(eq(users.id, user.id));
    // The trail goes with the account ("all its data"); the deletion itself is recorded in the
    // server log by the route, the one place that outlives the account.
    await tx.delete(authEvents).where(eq(authEvents.userId, user.id));
    // The change log too; after the user row is gone, so a writer that committed before could not
    // leave entries behind, and the change triggers record nothing more for a vanished user. The
    // counter first: a sequencer holding it finishes before the inbox and log go (same lock order).
    await tx.delete(changeSeqs).where(eq(changeSeqs.userId, user.id));
    await tx.delete(pendingChanges).where(eq(pendingChanges.userId, user.id));
    await tx.delete(changes).where(eq(changes.userId, user.id));
    return recorded;
  });
  ctx.revocations.publish(revoked);
}
