import type { ReplaceTodo, UpdateTodo, UpdateTodoResult } from "@taskvault/contract/todos";
import type { Database, Executor } from "../db/client.ts";
import type { IfMatch } from "../db/versions.ts";
import { AppError } from "../errors.ts";
import { isUuid } from "../ids.ts";
import { createNextInstance } from "./complete-todo.ts";
import { asPlacementError, checkPlacement } from "./placement.ts";
import { explainMiss, getTodo } from "./read-todo.ts";
import { todoNotFound, toTodo } from "./todo-json.ts";
import { updateTodoStatement, versionValues, WRITABLE, writableValues } from "./todo-statements.ts";

export async function updateTodo(
  db: Database,
  userId: string,
  id: string,
  input: UpdateTodo,
  ifMatch?: IfMatch,
): Promise<UpdateTodoResult> {
  if (!isUuid(id)) throw todoNotFound();
  if (input.completed === true) {
    // Completing a todo that does not repeat is one statement. One that repeats gets its next
    // instance in the same transaction (the update's row lock makes it exactly once), so a todo
    // the first statement skipped, or a miss to explain, goes that way.
    if (input.recurrence === undefined) {
      const completed = await writeTodo(db, userId, id, input, ifMatch, { unlessRecurring: true });
      if (completed) return completed;
    }
    return db.transaction(
      async (tx) => (await writeTodo(tx, userId, id, input, ifMatch)) ?? explainMiss(tx, userId, id),
    );
  }
  return (await writeTodo(db, userId, id, input, ifMatch)) ?? explainMiss(db, userId, id);
}

/** Writes the changes; null when no row matched (missing, foreign, stale, or skipped as recurring). */
async function writeTodo(
  db: Executor,
  userId: string,
  id: string,
  input: UpdateTodo,
  ifMatch?: IfMatch,
  { unlessRecurring = false } = {},
): Promise<UpdateTodoResult | null> {
  const now = new Date();
  await checkPlacement(db, userId, input, id);
  const fields = WRITABLE.filter((field) => input[field] !== undefined);
  if (fields.length === 0) {
    const current = await getTodo(db, userId, id);
    if (ifMatch !== undefined && ifMatch !== "any" && !ifMatch.includes(current.version)) {
      throw new AppError("precondition_failed", "The todo changed since you loaded it; reload it and try again");
    }
    return current;
  }
  // The SQL depends only on which fields are written and the conditions, never on their values.
  const [row] = await updateTodoStatement(db, fields, {
    completing: input.completed === true,
    ifMatch,
    unlessRecurring,
  })
    .execute({ ...writableValues(input, now), userId, id, ...versionValues(ifMatch) })
    .catch((error) => {
      throw asPlacementError(error);
    });
  if (!row) return null;
  const todo = toTodo(row);
  if (input.completed !== true) return todo;
  const next = await createNextInstance(db, row, now);
  return next ? { ...todo, next } : todo;
}

/** PUT: every writable field is set; omitted ones return to their defaults (position is kept). */
export function replaceTodo(
  db: Database,
  userId: string,
  id: string,
  input: ReplaceTodo,
  ifMatch?: IfMatch,
): Promise<UpdateTodoResult> {
  return updateTodo(
    db,
    userId,
    id,
    {
      title: input.title,
      description: input.description ?? "",
      completed: input.completed ?? false,
      dueAt: input.dueAt ?? null,
      priority: input.priority ?? "none",
      tags: input.tags ?? [],
      ...(input.position !== undefined && { position: input.position }),
      listId: input.listId ?? null,
      parentId: input.parentId ?? null,
      recurrence: input.recurrence ?? null,
      recurFrom: input.recurFrom ?? "due",
      remindAt: input.remindAt ?? null,
      ...(input.timezone !== undefined && { timezone: input.timezone }),
    },
    ifMatch,
  );
}
