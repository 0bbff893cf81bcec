import type { Todo } from "@taskvault/contract/todos";
import { and, eq } from "drizzle-orm";
import type { Executor } from "../db/client.ts";
import { todos } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { isUuid } from "../ids.ts";
import { todoNotFound, toTodo } from "./todo-json.ts";

export async function getTodo(db: Executor, userId: string, id: string): Promise<Todo> {
  if (!isUuid(id)) throw todoNotFound();
  const [row] = await db
    .select()
    .from(todos)
    .where(and(eq(todos.userId, userId), eq(todos.id, id)));
  if (!row) throw todoNotFound();
  return toTodo(row);
}

/** Nothing matched: a missing (or foreign) todo is 404, a stale If-Match 412. */
export async function explainMiss(db: Executor, userId: string, id: string): Promise<never> {
  const [exists] = await db
    .select({ version: todos.version })
    .from(todos)
    .where(and(eq(todos.userId, userId), eq(todos.id, id)));
  if (!exists) throw todoNotFound();
  throw new AppError("precondition_failed", "The todo changed since you loaded it; reload it and try again");
}
