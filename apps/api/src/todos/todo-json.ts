import type { Priority, RecurFrom, Todo } from "@taskvault/contract/todos";
import { isoFromText } from "../db/instant.ts";
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
    createdBy: row.createdBy ?? row.userId,
    assigneeId: row.assigneeId ?? null,
  };
}

/** A todo's columns as the driver hands them over, unmapped: instants as PostgreSQL's text. */
export interface TodoColumns {
  id: string;
  title: string;
  description: string;
  completed: boolean;
  completedAt: string | null;
  dueAt: string | null;
  priority: number;
  tags: string[];
  position: number;
  createdAt: string;
  updatedAt: string;
  version: number;
  listId: string | null;
  parentId: string | null;
  recurrence: string | null;
  recurFrom: string;
  remindAt: string | null;
  timezone: string;
  createdBy: string;
  assigneeId: string | null;
}

const text = JSON.stringify;
const instantJson = (value: string | null) => (value === null ? "null" : `"${isoFromText(value)}"`);

/**
 * toTodo's JSON written straight from the columns, for the list on PostgreSQL (decision 018):
 * no row objects, Dates or mapped copies for 50 todos a page. A test holds it to toTodo and the
 * serializer byte for byte.
 */
export function todoJson(row: TodoColumns): string {
  return `{"id":${text(row.id)},"title":${text(row.title)},"description":${text(row.description)},"completed":${row.completed},"completedAt":${instantJson(row.completedAt)},"dueAt":${instantJson(row.dueAt)},"priority":"${PRIORITIES[row.priority] ?? "none"}","tags":${text(row.tags)},"position":${text(row.position)},"createdAt":${instantJson(row.createdAt)},"updatedAt":${instantJson(row.updatedAt)},"version":${row.version},"listId":${text(row.listId)},"parentId":${text(row.parentId)},"recurrence":${text(row.recurrence)},"recurFrom":${text(row.recurFrom)},"remindAt":${instantJson(row.remindAt)},"timezone":${text(row.timezone)},"createdBy":${text(row.createdBy)},"assigneeId":${text(row.assigneeId)}}`;
}
