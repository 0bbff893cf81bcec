import { and, eq, sql } from "drizzle-orm";
import type { Executor } from "../db/client.ts";
import { rowsOf } from "../db/rows.ts";
import { listMembers, lists, todos } from "../db/schema.ts";
import { validationError } from "../errors.ts";
import { checkRecurrence } from "./recurrence.ts";

/** A todo and its subtasks go at most this many levels deep. */
export const MAX_DEPTH = 3;

// Someone else's list or todo is answered exactly like one that does not exist.
export const noSuchList = () => validationError("listId", "No such list");
export const noSuchParent = () => validationError("parentId", "No such todo");

const FOREIGN_KEY_VIOLATION = "23503";

/** The list or parent vanished between the check and the write (a concurrent delete). */
export function asPlacementError(error: unknown): unknown {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    const { code, constraint_name, constraint } = current as Record<string, unknown>;
    if (code !== FOREIGN_KEY_VIOLATION) continue;
    const name = String(constraint_name ?? constraint ?? "");
    if (name === "todos_list_fk") return noSuchList();
    if (name === "todos_parent_fk") return noSuchParent();
  }
  return error;
}

export async function checkList(db: Executor, userId: string, listId: string): Promise<void> {
  const [list] = await db
    .select({ id: lists.id })
    .from(lists)
    .where(and(eq(lists.userId, userId), eq(lists.id, listId)));
  if (!list) throw noSuchList();
}

/**
 * A parent must be one of the user's todos, not the todo itself or one of its subtasks, and deep
 * enough room must remain below it: its level plus the height of the moved subtree ≤ 3.
 * Returns the parent's list, which a new subtask joins unless told otherwise.
 */
export async function checkParent(
  db: Executor,
  userId: string,
  parentId: string,
  todoId?: string,
): Promise<{ listId: string | null }> {
  const ancestors = rowsOf<{ id: string; list_id: string | null }>(
    await db.execute(sql`
      with recursive chain (id, parent_id, list_id, level) as (
        select id, parent_id, list_id, 1 from ${todos} where user_id = ${userId} and id = ${parentId}
        union all
        select t.id, t.parent_id, t.list_id, chain.level + 1
        from ${todos} t join chain on t.user_id = ${userId} and t.id = chain.parent_id
        where chain.level <= ${MAX_DEPTH}
      )
      select id, list_id from chain order by level`),
  );
  if (ancestors.length === 0) throw noSuchParent();
  if (todoId && ancestors.some((ancestor) => ancestor.id === todoId)) {
    throw validationError("parentId", "A todo cannot be a subtask of itself or of its own subtasks");
  }
  const height = todoId ? await subtreeHeight(db, userId, todoId) : 1;
  if (ancestors.length + height > MAX_DEPTH) {
    throw validationError("parentId", `Subtasks go at most ${MAX_DEPTH} levels deep`);
  }
  return { listId: ancestors[0]!.list_id };
}

/** Levels in the subtree below and including the todo: 1 for a todo without subtasks. */
async function subtreeHeight(db: Executor, userId: string, todoId: string): Promise<number> {
  const [row] = rowsOf<{ height: number | string | null }>(
    await db.execute(sql`
      with recursive tree (id, level) as (
        select id, 1 from ${todos} where user_id = ${userId} and id = ${todoId}
        union all
        select t.id, tree.level + 1
        from ${todos} t join tree on t.user_id = ${userId} and t.parent_id = tree.id
        where tree.level <= ${MAX_DEPTH}
      )
      select max(level) as height from tree`),
  );
  return Number(row?.height ?? 1);
}

export interface Placement {
  listId?: string | null | undefined;
  parentId?: string | null | undefined;
  recurrence?: string | null | undefined;
}

/**
 * Checks the list, parent and recurrence a write names. Returns the list a new subtask inherits
 * from its parent when the write names none.
 */
export async function checkPlacement(
  db: Executor,
  userId: string,
  input: Placement,
  todoId?: string,
): Promise<{ inheritedListId: string | null | undefined }> {
  if (input.recurrence) checkRecurrence(input.recurrence);
  if (input.listId) await checkList(db, userId, input.listId);
  let inheritedListId: string | null | undefined;
  if (input.parentId) {
    if (input.parentId === todoId) {
      throw validationError("parentId", "A todo cannot be a subtask of itself or of its own subtasks");
    }
    inheritedListId = (await checkParent(db, userId, input.parentId, todoId)).listId;
  }
  return { inheritedListId };
}

/**
 * An assignee is someone who sees the todo: its list's owner or a member of it (for a todo in no
 * list, its owner). Anyone else is 422, like an id that does not exist.
 */
export async function checkAssignee(
  db: Executor,
  ownerId: string,
  listId: string | null,
  assigneeId: string,
): Promise<void> {
  if (assigneeId === ownerId) return;
  if (listId) {
    const [member] = await db
      .select({ id: listMembers.memberId })
      .from(listMembers)
      .where(
        and(eq(listMembers.ownerId, ownerId), eq(listMembers.listId, listId), eq(listMembers.memberId, assigneeId)),
      );
    if (member) return;
  }
  throw validationError("assigneeId", "No such member of this list");
}
