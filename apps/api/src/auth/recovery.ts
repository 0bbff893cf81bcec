// Forgotten passwords (The Copenhagen Book, "Password reset"): a request answers the same whatever
// the address, the link's token is single use, lives 30 minutes and only the newest one counts,
// and a reset ends every session and proves the address.
import type { Accepted, ForgotPassword, ResetPassword } from "@taskvault/contract/auth";
import { eq } from "drizzle-orm";
import { users } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { enqueueMessage } from "../mail/outbox.ts";
import { commonPasswordError } from "./accounts.ts";
import type { AuthContext, ClientInfo } from "./context.ts";
import { isLiveEmailToken, spendEmailToken } from "./email-tokens.ts";
import { recordAuthEvent } from "./events.ts";
import { notifySecurityEvent } from "./security-notices.ts";
import { revokeSessionsIn } from "./sessions.ts";

export const RESET_REQUESTED: Accepted = {
  message: "If an account uses this address, a link to reset its password is on its way.",
};

export const invalidEmailToken = () =>
  new AppError("invalid_token", "This link is invalid, expired or already used; ask for a new one", { status: 400 });

/**
 * Records the request and nothing else: the same single insert whether or not an account uses the
 * address, so neither the answer nor its timing can tell. The sender decides, off the request path,
 * whether there is anyone to write to.
 */
export async function requestPasswordReset(ctx: AuthContext, input: ForgotPassword): Promise<Accepted> {
  await enqueueMessage(ctx.db, { kind: "reset_password", recipient: input.email });
  return RESET_REQUESTED;
}

/**
 * Sets a new password from a reset link. Every session ends at once (access tokens refused on every
 * instance, refresh tokens deleted, open event streams closed); a second factor, when the account
 * has one, is untouched, so the next sign-in still asks for it.
 */
export async function resetPassword(ctx: AuthContext, input: ResetPassword, client: ClientInfo): Promise<void> {
  // A dead token is refused before the (deliberately slow) hashing.
  if (!(await isLiveEmailToken(ctx.db, input.token, ["reset_password"]))) throw invalidEmailToken();
  if (ctx.passwords.isCommon(input.newPassword)) throw commonPasswordError("newPassword");
  const passwordHash = await ctx.passwords.hash(input.newPassword);
  const revoked = await ctx.db.transaction(async (tx) => {
    const spent = await spendEmailToken(tx, input.token, ["reset_password"]);
    if (!spent) throw invalidEmailToken();
    const now = new Date();
    const [user] = await tx
      .update(users)
      .set({ passwordHash, emailVerifiedAt: now, updatedAt: now })
      .where(eq(users.id, spent.userId))
      .returning({ id: users.id });
    if (!user) throw invalidEmailToken();
    await recordAuthEvent(tx, user.id, "password_reset", null, client);
    await notifySecurityEvent(tx, user.id, "password_reset", client);
    return revokeSessionsIn(ctx, tx, user.id, { allExcept: null }, "password_reset");
  });
  ctx.revocations.publish(revoked);
}
