import type { User } from "@taskvault/contract/auth";
import { eq } from "drizzle-orm";
import { users } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import type { AuthContext } from "./context.ts";

/** What a session's answer and the sign-in decision need of an account's row. */
export type Account = Pick<typeof users.$inferSelect, "id" | "email" | "name" | "createdAt" | "emailVerifiedAt">;

export function toUser(row: Account): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    emailVerified: row.emailVerifiedAt !== null,
  };
}

/** The caller's account; gone (deleted meanwhile) is a dead token. */
export async function findUser(ctx: AuthContext, userId: string) {
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId));
  if (!user) throw new AppError("invalid_token", "The account no longer exists");
  return user;
}
