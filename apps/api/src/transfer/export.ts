import { EXPORT_FORMAT, EXPORT_VERSION, type ExportDocument, type ExportTodo } from "@taskvault/contract/import-export";
import type { RecurFrom } from "@taskvault/contract/todos";
import { asc, eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { lists, todos, users } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { toList } from "../lists/lists.ts";
import { toTodo } from "../todos/todo-json.ts";

/**
 * Everything the user owns as one document (docs/export-format.md), read in one transaction so
 * the lists and todos agree with each other.
 */
export async function exportData(db: Database, userId: string): Promise<ExportDocument> {
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.id, userId));
    if (!user) throw new AppError("invalid_token", "The account no longer exists");
    const listRows = await tx
      .select()
      .from(lists)
      .where(eq(lists.userId, userId))
      .orderBy(asc(lists.position), asc(lists.id));
    const todoRows = await tx
      .select()
      .from(todos)
      .where(eq(todos.userId, userId))
      .orderBy(asc(todos.position), asc(todos.id));
    return {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: new Date().toISOString(),
      profile: {
        email: user.email,
        name: user.name,
        timezone: user.timezone,
        createdAt: user.createdAt.toISOString(),
      },
      lists: listRows.map((row) => {
        const { version: _, role: _role, memberCount: _members, ...list } = toList(row);
        return list;
      }),
      todos: todoRows.map((row): ExportTodo => {
        const { version: _, createdBy: _creator, assigneeId: _assignee, ...todo } = toTodo(row);
        return { ...todo, recurFrom: todo.recurFrom as RecurFrom, nextId: row.nextId };
      }),
    };
  });
}
