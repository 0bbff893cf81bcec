import { createHash } from "node:crypto";
import type { CreateTodo, Todo } from "@taskvault/contract/todos";
import { and, eq, is, lte } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import { uuidv7 } from "uuidv7";
import { type BatchedWrites, batchWrites } from "../db/batches.ts";
import type { Database, Executor } from "../db/client.ts";
import { idempotencyKeys } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import type { Grants } from "../sharing/access.ts";
import { asPlacementError, checkAssignee, checkPlacement, noSuchList, noSuchParent } from "./placement.ts";
import { PRIORITIES, type TodoRow, toTodo } from "./todo-json.ts";
import { insertTodo, insertTodos, type NewTodo } from "./todo-statements.ts";

const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;

/** Who creates a todo, and whose rows it joins: the list's (or parent's) owner, else the creator's. */
export interface CreationTarget {
  callerId: string;
  ownerId: string;
}

/** From the grants of the list and parent a POST names (both needed `write`, sharing/access.ts). */
export function creationTarget(callerId: string, grants: Grants): CreationTarget {
  const list = grants.named["body.listId"];
  const parent = grants.named["body.parentId"];
  if (list && parent && list.ownerId !== parent.ownerId) throw noSuchParent();
  return { callerId, ownerId: list?.ownerId ?? parent?.ownerId ?? callerId };
}

const insertAlone = async (db: Executor, todo: NewTodo) => (await insertTodo(db).execute(todo))[0]!;

/**
 * A database's creates outside transactions, batched (decision 027). Two statements in flight keep
 * the database busy while the API reads the next requests; 64 rows keep one statement well inside
 * the query deadline; a batch takes a few milliseconds, so one still waiting after 50 ms waits on a
 * lock and lets the next go out beside it.
 */
const insertsByDatabase = new WeakMap<Database, BatchedWrites<NewTodo, TodoRow>>();
export function todoInserts(db: Database): BatchedWrites<NewTodo, TodoRow> {
  let inserts = insertsByDatabase.get(db);
  if (!inserts) {
    inserts = batchWrites({
      one: (todo) => insertAlone(db, todo),
      async many(batch) {
        const rows = new Map(
          (await insertTodos(db).execute({ rows: JSON.stringify(batch) })).map((row) => [row.id, row]),
        );
        return batch.map((todo) => rows.get(todo.id)!);
      },
      maxBatch: 64,
      maxInFlight: 2,
      stallMs: 50,
    });
    insertsByDatabase.set(db, inserts);
  }
  return inserts;
}

export async function createTodo(db: Executor, target: CreationTarget, input: CreateTodo): Promise<Todo> {
  const now = new Date();
  const userId = target.ownerId;
  const { inheritedListId } = await checkPlacement(db, userId, input);
  const listId = input.listId !== undefined ? input.listId : (inheritedListId ?? null);
  // Nobody writes into someone else's Inbox: another owner's rows are reached only through a list.
  if (userId !== target.callerId && listId === null) throw noSuchList();
  if (input.assigneeId) await checkAssignee(db, userId, listId, input.assigneeId);
  const todo: NewTodo = {
    userId,
    createdBy: target.callerId,
    assigneeId: input.assigneeId ?? null,
    reminderBy: input.remindAt ? target.callerId : null,
    id: uuidv7(),
    title: input.title,
    description: input.description ?? "",
    completed: input.completed ?? false,
    completedAt: input.completed ? now.toISOString() : null,
    dueAt: input.dueAt ? new Date(input.dueAt).toISOString() : null,
    priority: PRIORITIES.indexOf(input.priority ?? "none"),
    tags: input.tags ?? [],
    position: input.position ?? null,
    now,
    listId,
    parentId: input.parentId ?? null,
    recurrence: input.recurrence ?? null,
    recurFrom: input.recurFrom ?? "due",
    remindAt: input.remindAt ? new Date(input.remindAt).toISOString() : null,
    timezone: input.timezone ?? null,
  };
  const row = await (is(db, PgTransaction) ? insertAlone(db, todo) : todoInserts(db).write(todo)).catch((error) => {
    throw asPlacementError(error);
  });
  return toTodo(row);
}

export interface StoredResponse {
  todo: Todo;
  /** True when this is the replay of an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

/**
 * Creates a todo once per Idempotency-Key (24 h). The key row is claimed in the same transaction
 * as the insert: a concurrent request with the same key waits on it and then replays the stored
 * response; if the first request fails, its claim rolls back with it.
 */
export async function createTodoOnce(
  db: Database,
  target: CreationTarget,
  idempotencyKey: string,
  input: CreateTodo,
): Promise<StoredResponse> {
  const requestHash = createHash("sha256").update(JSON.stringify(input)).digest("base64url");
  const now = new Date();
  // Keys are the caller's own, whichever list the todo goes to.
  const userId = target.callerId;
  const keyMatches = and(eq(idempotencyKeys.userId, userId), eq(idempotencyKeys.key, idempotencyKey));
  return db.transaction(async (tx) => {
    await tx
      .delete(idempotencyKeys)
      .where(and(keyMatches, lte(idempotencyKeys.createdAt, new Date(now.getTime() - IDEMPOTENCY_WINDOW_MS))));
    const claimed = await tx
      .insert(idempotencyKeys)
      .values({ userId, key: idempotencyKey, requestHash, status: 0, body: {}, createdAt: now })
      .onConflictDoNothing()
      .returning({ key: idempotencyKeys.key });
    if (claimed.length === 0) {
      const [stored] = await tx.select().from(idempotencyKeys).where(keyMatches);
      if (!stored || stored.requestHash !== requestHash) {
        throw new AppError("idempotency_key_reused", "This Idempotency-Key was used with a different request", {
          errors: { "Idempotency-Key": ["Already used with a different body"] },
        });
      }
      return { todo: stored.body as Todo, replayed: true };
    }
    const todo = await createTodo(tx, target, input);
    await tx.update(idempotencyKeys).set({ status: 201, body: todo }).where(keyMatches);
    return { todo, replayed: false };
  });
}
