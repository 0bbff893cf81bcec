import { and, eq } from "drizzle-orm";
import type { Database } from "../db/client.ts";
import { todos } from "../db/schema.ts";
import { type IfMatch, versionCondition } from "../db/versions.ts";
import { isUuid } from "../ids.ts";
import { explainMiss } from "./read-todo.ts";
import { todoNotFound } from "./todo-json.ts";

export async function deleteTodo(db: Database, userId: string, id: string, ifMatch?: IfMatch) {
  if (!isUuid(id)) throw todoNotFound();
  const deleted = await db
    .delete(todos)
    .where(and(eq(todos.userId, userId), eq(todos.id, id), versionCondition(todos.version, ifMatch)))
    .returning({ id: todos.id });
  if (deleted.length === 0) await explainMiss(db, userId, id);
}

export async function deleteCompleted(db: Database, userId: string): Promise<{ deleted: number }> {
  const deleted = await db
    .delete(todos)
    .where(and(eq(todos.userId, userId), eq(todos.completed, true)))
    .returning({ id: todos.id });
  return { deleted: deleted.length };
}
