import type { RecurFrom, Todo } from "@taskvault/contract/todos";
import { and, eq, inArray, sql } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import type { Database, Executor } from "../db/client.ts";
import { todos } from "../db/schema.ts";
import { nextInstance } from "./recurrence.ts";
import { type TodoRow, toTodo } from "./todo-json.ts";

/**
 * The next instance of a just-completed recurring todo, created at most once: the completed row
 * is locked by the update that completed it, and remembers the instance it created in `next_id`,
 * so a retry, a concurrent completion (it waits for the lock, then sees next_id) or completing it
 * again after re-opening it answers with the same instance instead of creating another.
 */
export async function createNextInstance(db: Executor, completed: TodoRow, now: Date): Promise<Todo | null> {
  if (!completed.recurrence) return null;
  const { userId } = completed;
  if (completed.nextId) {
    const [existing] = await db
      .select()
      .from(todos)
      .where(and(eq(todos.userId, userId), eq(todos.id, completed.nextId)));
    return existing ? toTodo(existing) : null;
  }
  const plan = nextInstance(
    {
      recurrence: completed.recurrence,
      recurFrom: completed.recurFrom as RecurFrom,
      timezone: completed.timezone,
      dueAt: completed.dueAt,
      remindAt: completed.remindAt,
    },
    completed.completedAt ?? now,
  );
  if (!plan) return null;
  const [row] = await db
    .insert(todos)
    .values({
      userId,
      id: uuidv7(),
      title: completed.title,
      description: completed.description,
      completed: false,
      completedAt: null,
      dueAt: plan.dueAt,
      priority: completed.priority,
      tags: completed.tags,
      // It takes the completed instance's place in a manually ordered list.
      position: completed.position,
      createdAt: now,
      updatedAt: now,
      version: 1,
      listId: completed.listId,
      parentId: completed.parentId,
      recurrence: plan.recurrence,
      recurFrom: completed.recurFrom,
      remindAt: plan.remindAt,
      timezone: completed.timezone,
      // The next one is the same chore: still assigned to them, still reminding whoever set it.
      createdBy: completed.createdBy,
      assigneeId: completed.assigneeId,
      reminderBy: plan.remindAt ? completed.reminderBy : null,
    })
    .returning();
  await db
    .update(todos)
    .set({ nextId: row!.id })
    .where(and(eq(todos.userId, userId), eq(todos.id, completed.id)));
  await copySubtasks(db, userId, completed.id, row!.id, now);
  return toTodo(row!);
}

/**
 * A recurring todo's checklist comes back with it: its subtasks (all levels) are copied, open
 * again, under the next instance, while the completed instance keeps the ones that were ticked.
 */
async function copySubtasks(db: Executor, userId: string, fromId: string, toId: string, now: Date): Promise<void> {
  let parents = new Map([[fromId, toId]]);
  while (parents.size > 0) {
    const children = await db
      .select()
      .from(todos)
      .where(and(eq(todos.userId, userId), inArray(todos.parentId, [...parents.keys()])));
    if (children.length === 0) return;
    const copies = new Map<string, string>();
    await db.insert(todos).values(
      children.map((child) => {
        const id = uuidv7();
        copies.set(child.id, id);
        return {
          userId,
          id,
          title: child.title,
          description: child.description,
          completed: false,
          completedAt: null,
          dueAt: child.dueAt,
          priority: child.priority,
          tags: child.tags,
          position: child.position,
          createdAt: now,
          updatedAt: now,
          version: 1,
          listId: child.listId,
          parentId: parents.get(child.parentId!)!,
          recurrence: null,
          recurFrom: child.recurFrom,
          remindAt: null,
          timezone: child.timezone,
          createdBy: child.createdBy,
          assigneeId: child.assigneeId,
        };
      }),
    );
    parents = copies;
  }
}

/** Completes every open todo; recurring ones get their next instance, as when completed one by one. */
export async function completeAll(db: Database, userId: string): Promise<{ updated: number }> {
  const now = new Date();
  return db.transaction(async (tx) => {
    const updated = await tx
      .update(todos)
      .set({ completed: true, completedAt: now, updatedAt: now, version: sql`${todos.version} + 1` })
      .where(and(eq(todos.userId, userId), eq(todos.completed, false)))
      .returning();
    for (const row of updated) await createNextInstance(tx, row, now);
    return { updated: updated.length };
  });
}
