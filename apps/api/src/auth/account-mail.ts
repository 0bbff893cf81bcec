// The account messages, composed when they are sent: the account is read then (a deleted one gets
// nothing), and a link's token is minted then, so the outbox never holds a secret.
import { eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { users } from "../db/schema.ts";
import type { ClaimedMessage } from "../mail/outbox.ts";
import type { Composer } from "../mail/sender.ts";
import {
  confirmEmailChangeMessage,
  emailChangeRequestedMessage,
  type MessageContext,
  type OutgoingMessage,
  resetPasswordMessage,
  type SecurityEvent,
  securityNoticeMessage,
  verifyEmailMessage,
} from "../mail/templates.ts";
import { mintEmailToken } from "./email-tokens.ts";

type AccountMessageKind =
  | "verify_email"
  | "reset_password"
  | "confirm_email_change"
  | "email_change_requested"
  | "security_notice";

export function accountComposers(db: Database, context: MessageContext): Record<AccountMessageKind, Composer> {
  const findUser = async (message: ClaimedMessage) => {
    if (message.userId) {
      const [user] = await db.select().from(users).where(eq(users.id, message.userId));
      return user;
    }
    // A reset request names an address: whether it has an account is decided here, off the request path.
    if (!message.recipient) return undefined;
    const [user] = await db.select().from(users).where(eq(users.email, message.recipient));
    return user;
  };
  const compose =
    (build: (user: typeof users.$inferSelect, message: ClaimedMessage) => Promise<OutgoingMessage | null>) =>
    async (message: ClaimedMessage) => {
      const user = await findUser(message);
      return user ? build(user, message) : null;
    };

  return {
    verify_email: compose(async (user) => {
      if (user.emailVerifiedAt) return null;
      const token = await mintEmailToken(db, user.id, "verify_email");
      return { to: user.email, ...verifyEmailMessage(context, { name: user.name, token }) };
    }),
    reset_password: compose(async (user) => {
      const token = await mintEmailToken(db, user.id, "reset_password");
      return { to: user.email, ...resetPasswordMessage(context, { name: user.name, token }) };
    }),
    confirm_email_change: compose(async (user, message) => {
      const newEmail = String(message.data.newEmail);
      const token = await mintEmailToken(db, user.id, "change_email", newEmail);
      return { to: newEmail, ...confirmEmailChangeMessage(context, { name: user.name, token, newEmail }) };
    }),
    email_change_requested: compose(async (user, message) => ({
      to: message.recipient ?? user.email,
      ...emailChangeRequestedMessage(context, { name: user.name, newEmail: String(message.data.newEmail) }),
    })),
    security_notice: compose(async (user, message) => {
      const data = message.data as { event: SecurityEvent; at: string; ip: string | null; detail: string | null };
      return {
        to: message.recipient ?? user.email,
        ...securityNoticeMessage(context, {
          name: user.name,
          event: data.event,
          at: data.at,
          ip: data.ip,
          detail: data.detail ?? undefined,
        }),
      };
    }),
  };
}
