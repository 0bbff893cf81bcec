import type { User } from "@taskvault/contract/auth";
import type { users } from "../db/schema.ts";

export function toUser(row: typeof users.$inferSelect): User {
  return { id: row.id, email: row.email, name: row.name, createdAt: row.createdAt.toISOString() };
}
