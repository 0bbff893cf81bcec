import {
  ExportDocument,
  ExportList,
  type ExportProfile,
  ExportTodo,
  IMPORT_LISTS_MAX,
  IMPORT_TODOS_MAX,
  type ImportResult,
} from "@taskvault/contract/import-export";
import { eq, max } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import { z } from "zod";
import type { Database, Transaction } from "../db/client.ts";
import { lists, todos, users } from "../db/schema.ts";
import { AppError, type FieldErrors } from "../errors.ts";
import { MAX_DEPTH } from "../todos/placement.ts";
import { checkRecurrence } from "../todos/recurrence.ts";
import { readTodoistCsv } from "./todoist-csv.ts";

const PRIORITIES = ["none", "low", "medium", "high"];
const INSERT_BATCH = 500;

interface ImportPlan {
  profile?: z.infer<typeof ExportProfile> | undefined;
  lists: ExportList[];
  todos: ExportTodo[];
}

const CsvParts = z.object({
  lists: z.array(ExportList).max(IMPORT_LISTS_MAX),
  todos: z.array(ExportTodo).max(IMPORT_TODOS_MAX),
});

function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = issue.path.map(String).join(".") || "body";
    errors[field] ??= [];
    errors[field].push(issue.message);
  }
  return errors;
}

const invalidDocument = (errors: FieldErrors) =>
  new AppError("validation_failed", "The import is invalid; nothing was imported", { errors });

/**
 * `POST /api/v1/import`: an export document (JSON) or a Todoist CSV export (a string). The whole
 * input is checked first — shape, links between its parts, subtask depth, recurrence rules — and
 * then written in one transaction: all of it, or nothing. Everything gets new ids; lists whose
 * name the user already has are merged into that list.
 */
export async function importData(db: Database, userId: string, body: unknown): Promise<ImportResult> {
  const plan = typeof body === "string" ? await planCsv(db, userId, body) : planDocument(body);
  const errors = checkLinks(plan);
  if (Object.keys(errors).length > 0) throw invalidDocument(errors);
  await db.transaction((tx) => apply(tx, userId, plan));
  return { imported: plan.todos.length };
}

function planDocument(body: unknown): ImportPlan {
  const parsed = ExportDocument.safeParse(body);
  if (!parsed.success) throw invalidDocument(fieldErrorsOf(parsed.error));
  return parsed.data;
}

async function planCsv(db: Database, userId: string, text: string): Promise<ImportPlan> {
  const [user] = await db.select({ timezone: users.timezone }).from(users).where(eq(users.id, userId));
  const read = await readTodoistCsv(text, { timeZone: user?.timezone ?? "UTC", now: new Date() });
  const parsed = CsvParts.safeParse(read);
  if (!parsed.success) throw invalidDocument(fieldErrorsOf(parsed.error));
  return parsed.data;
}

/** Ids are unique, every link points inside the document, subtasks nest ≤ 3 deep without cycles. */
function checkLinks(plan: ImportPlan): FieldErrors {
  const errors: FieldErrors = {};
  const fail = (field: string, message: string) => {
    errors[field] ??= [];
    errors[field].push(message);
  };
  const listIds = new Set<string>();
  const names = new Set<string>();
  plan.lists.forEach((list, index) => {
    if (listIds.has(list.id)) fail(`lists.${index}.id`, "Duplicate id");
    if (names.has(list.name.toLowerCase())) fail(`lists.${index}.name`, "Duplicate list name");
    listIds.add(list.id);
    names.add(list.name.toLowerCase());
  });
  const byId = new Map<string, ExportTodo>();
  plan.todos.forEach((todo, index) => {
    if (byId.has(todo.id)) fail(`todos.${index}.id`, "Duplicate id");
    byId.set(todo.id, todo);
  });
  plan.todos.forEach((todo, index) => {
    if (todo.listId && !listIds.has(todo.listId)) fail(`todos.${index}.listId`, "No such list in the document");
    if (todo.parentId && !byId.has(todo.parentId)) fail(`todos.${index}.parentId`, "No such todo in the document");
    if (todo.recurrence) {
      try {
        checkRecurrence(todo.recurrence);
      } catch (error) {
        fail(`todos.${index}.recurrence`, error instanceof Error ? error.message : "Invalid recurrence");
      }
    }
    let depth = 1;
    const seen = new Set([todo.id]);
    for (
      let parent = todo.parentId && byId.get(todo.parentId);
      parent;
      parent = parent.parentId && byId.get(parent.parentId)
    ) {
      if (seen.has(parent.id)) {
        fail(`todos.${index}.parentId`, "Subtasks form a cycle");
        break;
      }
      seen.add(parent.id);
      depth++;
    }
    if (depth > MAX_DEPTH) fail(`todos.${index}.parentId`, `Subtasks go at most ${MAX_DEPTH} levels deep`);
  });
  return errors;
}

/** How deep a todo sits: parents are inserted before their subtasks. */
function levelOf(todo: ExportTodo, byId: Map<string, ExportTodo>): number {
  let level = 1;
  for (
    let parent = todo.parentId && byId.get(todo.parentId);
    parent;
    parent = parent.parentId && byId.get(parent.parentId)
  ) {
    level++;
  }
  return level;
}

/** Imported items go after what the user already has, in the document's order. */
async function positionOffset(tx: Transaction, table: typeof lists | typeof todos, userId: string, lowest: number) {
  const [row] = await tx
    .select({ highest: max(table.position) })
    .from(table)
    .where(eq(table.userId, userId));
  const highest = row?.highest;
  return highest === null || highest === undefined ? 0 : highest - lowest + 1;
}

async function apply(tx: Transaction, userId: string, plan: ImportPlan): Promise<void> {
  const now = new Date();
  if (plan.profile) {
    await tx
      .update(users)
      .set({ name: plan.profile.name, timezone: plan.profile.timezone, updatedAt: now })
      .where(eq(users.id, userId));
  }

  const existing = await tx.select({ id: lists.id, name: lists.name }).from(lists).where(eq(lists.userId, userId));
  const existingByName = new Map(existing.map((list) => [list.name.toLowerCase(), list.id]));
  const listIds = new Map<string, string>();
  const listOffset = await positionOffset(tx, lists, userId, Math.min(...plan.lists.map((list) => list.position)));
  const newLists = [];
  for (const list of plan.lists) {
    const mergeInto = existingByName.get(list.name.toLowerCase());
    if (mergeInto) {
      listIds.set(list.id, mergeInto);
      continue;
    }
    const id = uuidv7();
    listIds.set(list.id, id);
    newLists.push({
      userId,
      id,
      name: list.name,
      color: list.color,
      position: list.position + listOffset,
      createdAt: new Date(list.createdAt),
      updatedAt: new Date(list.updatedAt),
      version: 1,
    });
  }
  for (let index = 0; index < newLists.length; index += INSERT_BATCH) {
    await tx.insert(lists).values(newLists.slice(index, index + INSERT_BATCH));
  }

  const byId = new Map(plan.todos.map((todo) => [todo.id, todo]));
  const todoIds = new Map(plan.todos.map((todo) => [todo.id, uuidv7()]));
  const todoOffset = await positionOffset(tx, todos, userId, Math.min(...plan.todos.map((todo) => todo.position)));
  const ordered = plan.todos
    .map((todo, index) => ({ todo, index, level: levelOf(todo, byId) }))
    .sort((a, b) => a.level - b.level || a.index - b.index);
  const rows = ordered.map(({ todo }) => ({
    userId,
    id: todoIds.get(todo.id)!,
    title: todo.title,
    description: todo.description,
    completed: todo.completed,
    completedAt: todo.completedAt ? new Date(todo.completedAt) : todo.completed ? now : null,
    dueAt: todo.dueAt ? new Date(todo.dueAt) : null,
    priority: PRIORITIES.indexOf(todo.priority),
    tags: todo.tags,
    position: todo.position + todoOffset,
    createdAt: new Date(todo.createdAt),
    updatedAt: new Date(todo.updatedAt),
    version: 1,
    listId: todo.listId ? listIds.get(todo.listId)! : null,
    parentId: todo.parentId ? todoIds.get(todo.parentId)! : null,
    recurrence: todo.recurrence,
    recurFrom: todo.recurFrom,
    remindAt: todo.remindAt ? new Date(todo.remindAt) : null,
    timezone: todo.timezone,
    nextId: (todo.nextId && todoIds.get(todo.nextId)) || null,
  }));
  for (let index = 0; index < rows.length; index += INSERT_BATCH) {
    await tx.insert(todos).values(rows.slice(index, index + INSERT_BATCH));
  }
}
