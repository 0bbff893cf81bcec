import type { Priority, RecurFrom, Todo } from "@taskvault/contract/todos";
import type { todos } from "../db/schema.ts";
import { AppError } from "../errors.ts";

export type TodoRow = typeof todos.$inferSelect;

/** Priorities as stored: their index in this list. */
export const PRIORITIES: readonly Priority[] = ["none", "low", "medium", "high"];

export const todoNotFound = () => new AppError("not_found", "No such todo");

/** A row as the contract's Todo. On the embedded database the list's JSON is written by the database instead (TODO_AS_JSON in todo-statements.ts); a test holds both to the same output. */
export function toTodo(row: TodoRow): Todo {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    completed: row.completed,
    completedAt: row.completedAt?.toISOString() ?? null,
    dueAt: row.dueAt?.toISOString() ?? null,
    priority: PRIORITIES[row.priority] ?? "none",
    tags: row.tags,
    position: row.position,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
    listId: row.listId,
    parentId: row.parentId,
    recurrence: row.recurrence,
    recurFrom: row.recurFrom as RecurFrom,
    remindAt: row.remindAt?.toISOString() ?? null,
    timezone: row.timezone,
  };
}
