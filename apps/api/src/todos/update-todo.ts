import type { ReplaceTodo, UpdateTodo, UpdateTodoResult } from "@taskvault/contract/todos";
import { and, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../db/client.ts";
import { rowsOf } from "../db/rows.ts";
import { todos } from "../db/schema.ts";
import type { IfMatch } from "../db/versions.ts";
import { versionCondition } from "../db/versions.ts";
import { AppError } from "../errors.ts";
import { isUuid } from "../ids.ts";
import type { Grants } from "../sharing/access.ts";
import { createNextInstance } from "./complete-todo.ts";
import { asPlacementError, checkAssignee, checkPlacement, noSuchParent } from "./placement.ts";
import { explainMiss, getTodo } from "./read-todo.ts";
import { todoNotFound, toTodo } from "./todo-json.ts";
import { updateTodoStatement, versionValues, WRITABLE, writableValues } from "./todo-statements.ts";

/** A write to a todo: who writes, whose rows hold it, and whose rows it moves to (a list's owner). */
export interface WriteTarget {
  callerId: string;
  ownerId: string;
  id: string;
  /** Set when the write moves it to a list of another owner, or out of a shared list to the caller's Inbox. */
  moveToOwner?: string;
}

/** From the grants of the todo and of the list a body names (both needed `write`, sharing/access.ts). */
export function writeTarget(grants: Grants): WriteTarget {
  const todo = grants.todo!;
  const list = grants.named["body.listId"];
  const target: WriteTarget = { callerId: todo.callerId, ownerId: todo.ownerId, id: todo.todoId };
  const destination = list ? list.ownerId : undefined;
  if (destination && destination !== todo.ownerId) target.moveToOwner = destination;
  return target;
}

export async function updateTodo(
  db: Database,
  target: WriteTarget,
  input: UpdateTodo,
  ifMatch?: IfMatch,
): Promise<UpdateTodoResult> {
  const { id } = target;
  if (!isUuid(id)) throw todoNotFound();
  // Out of someone else's list into "no list": that is the caller's own Inbox.
  const moveToOwner =
    target.moveToOwner ?? (input.listId === null && target.ownerId !== target.callerId ? target.callerId : undefined);
  if (moveToOwner) {
    return db.transaction(async (tx) => {
      await rehome(tx, target, moveToOwner, input.listId ?? null, ifMatch);
      const moved = { ...target, ownerId: moveToOwner, moveToOwner: undefined };
      const { listId: _, ...rest } = input;
      return (await writeTodo(tx, moved, rest)) ?? explainMiss(tx, moveToOwner, id);
    });
  }
  const userId = target.ownerId;
  if (input.completed === true) {
    // Completing a todo that does not repeat is one statement. One that repeats gets its next
    // instance in the same transaction (the update's row lock makes it exactly once), so a todo
    // the first statement skipped, or a miss to explain, goes that way.
    if (input.recurrence === undefined) {
      const completed = await writeTodo(db, target, input, ifMatch, { unlessRecurring: true });
      if (completed) return completed;
    }
    return db.transaction(async (tx) => (await writeTodo(tx, target, input, ifMatch)) ?? explainMiss(tx, userId, id));
  }
  return (await writeTodo(db, target, input, ifMatch)) ?? explainMiss(db, userId, id);
}

/** Writes the changes; null when no row matched (missing, foreign, stale, or skipped as recurring). */
async function writeTodo(
  db: Executor,
  target: WriteTarget,
  input: UpdateTodo,
  ifMatch?: IfMatch,
  { unlessRecurring = false } = {},
): Promise<UpdateTodoResult | null> {
  const now = new Date();
  const { ownerId: userId, id } = target;
  await checkPlacement(db, userId, input, id);
  if (input.assigneeId) await checkAssigneeOf(db, userId, id, input);
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
    .execute({ ...writableValues(input, now, target.callerId), userId, id, ...versionValues(ifMatch) })
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
  target: WriteTarget,
  input: ReplaceTodo,
  ifMatch?: IfMatch,
): Promise<UpdateTodoResult> {
  return updateTodo(
    db,
    target,
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
      assigneeId: input.assigneeId ?? null,
    },
    ifMatch,
  );
}

/** The assignee against the list the todo ends up in (the one the write names, else its own). */
async function checkAssigneeOf(db: Executor, ownerId: string, id: string, input: UpdateTodo): Promise<void> {
  let listId = input.listId;
  if (listId === undefined) {
    const [row] = await db
      .select({ listId: todos.listId })
      .from(todos)
      .where(and(eq(todos.userId, ownerId), eq(todos.id, id)));
    listId = row?.listId ?? null;
  }
  await checkAssignee(db, ownerId, listId, input.assigneeId!);
}

/**
 * Moves a todo, with its subtasks, into another owner's rows (a list shared with the caller, or
 * out of one into the caller's Inbox): rows lead with their owner (decision 003), so the move is
 * a delete under the old owner and an insert, same ids, under the new one. The deletion is written
 * first, so a member who sees both lists gets the tombstone before the upsert. The assignee is
 * kept only if they see the destination; a subtask cannot move away from its parent.
 */
async function rehome(
  db: Executor,
  target: WriteTarget,
  newOwner: string,
  listId: string | null,
  ifMatch?: IfMatch,
): Promise<void> {
  const rows = rowsOf<{ id: string }>(
    await db.execute(sql`
      with recursive tree (id) as (
        select id from ${todos} where user_id = ${target.ownerId} and id = ${target.id}
        union all
        select t.id from ${todos} t join tree on t.user_id = ${target.ownerId} and t.parent_id = tree.id
      )
      select id from tree`),
  );
  const ids = rows.map((row) => row.id);
  if (ids.length === 0) return;
  const [root] = await db
    .select()
    .from(todos)
    .where(and(eq(todos.userId, target.ownerId), eq(todos.id, target.id), versionCondition(todos.version, ifMatch)))
    .for("update");
  if (!root) return;
  if (root.parentId) throw noSuchParent();
  const moved = await db
    .delete(todos)
    .where(
      and(
        eq(todos.userId, target.ownerId),
        sql`${todos.id} in (${sql.join(
          ids.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
      ),
    )
    .returning();
  const now = new Date();
  const keepsAssignee = async (assigneeId: string | null) => {
    if (!assigneeId) return null;
    try {
      await checkAssignee(db, newOwner, listId, assigneeId);
      return assigneeId;
    } catch {
      return null;
    }
  };
  for (const row of moved.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id))) {
    await db.insert(todos).values({
      ...row,
      userId: newOwner,
      listId,
      createdBy: row.createdBy ?? target.ownerId,
      assigneeId: await keepsAssignee(row.assigneeId),
      nextId: null,
      updatedAt: now,
      version: row.version + 1,
    });
  }
}
