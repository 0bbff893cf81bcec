import { createHash } from "node:crypto";
import type {
  CreateTodo,
  ListTodosQuery,
  Priority,
  RecurFrom,
  ReplaceTodo,
  Todo,
  TodoSort,
  UpdateTodo,
  UpdateTodoResult,
} from "@taskvault/contract/todos";
import { and, arrayContains, eq, gte, inArray, isNull, lt, lte, type Placeholder, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { uuidv7 } from "uuidv7";
import type { Database, Executor } from "../db/client.ts";
import { preparedQueries } from "../db/prepared.ts";
import { idempotencyKeys, todos, users } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { isUuid } from "../ids.ts";
import { type IfMatch, ifMatchShape, versionCondition, versionValues } from "../http/versioning.ts";
import { type CursorValue, decodeCursor, encodeCursor, type ValueKind } from "./cursor.ts";
import { asPlacementError, checkPlacement } from "./placement.ts";
import { nextInstance } from "./recurrence.ts";
import { startOfDay } from "./time-zones.ts";

type TodoRow = typeof todos.$inferSelect;

const PRIORITIES: readonly Priority[] = ["none", "low", "medium", "high"];
const IDEMPOTENCY_WINDOW_MS = 24 * 3600 * 1000;

/** A placeholder of a prepared query (db/prepared.ts), filled by name at `execute`. */
const value = (name: string) => sql.placeholder(name);
/** A nullable instant, bound as its ISO text (drizzle's encoder for dates does not take null). */
const instantValue = (name: string) => sql`${value(name)}::timestamptz`;

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

/** An instant as toISOString() writes it (the columns keep milliseconds): 2026-12-02T06:10:59.604Z. */
const isoInstant = (column: AnyPgColumn) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * toTodo's JSON, written by the database for the list (pageQuery): the row's columns under the
 * contract's names, in its order, through row_to_json. Change both together; a test holds them to
 * the same output for every kind of value.
 */
const TODO_AS_JSON = sql<string>`(select row_to_json(todo)::text from (select
  ${todos.id} as "id",
  ${todos.title} as "title",
  ${todos.description} as "description",
  ${todos.completed} as "completed",
  ${isoInstant(todos.completedAt)} as "completedAt",
  ${isoInstant(todos.dueAt)} as "dueAt",
  coalesce((array['none', 'low', 'medium', 'high'])[${todos.priority} + 1], 'none') as "priority",
  ${todos.tags} as "tags",
  ${todos.position} as "position",
  ${isoInstant(todos.createdAt)} as "createdAt",
  ${isoInstant(todos.updatedAt)} as "updatedAt",
  ${todos.version} as "version",
  ${todos.listId} as "listId",
  ${todos.parentId} as "parentId",
  ${todos.recurrence} as "recurrence",
  ${todos.recurFrom} as "recurFrom",
  ${isoInstant(todos.remindAt)} as "remindAt",
  ${todos.timezone} as "timezone"
) as todo)`;

const notFound = () => new AppError("not_found", "No such todo");

// ---------------------------------------------------------------------------------------------
// Listing

interface SortKey {
  column: SQL;
  descending: boolean;
  kind: ValueKind;
  /** The key's value in a cursor, as the database writes it into JSON. */
  cursorValue: SQL;
}

const key = (
  column: SQL,
  kind: ValueKind,
  { cursorValue = column, descending = false }: { cursorValue?: SQL; descending?: boolean } = {},
): SortKey => ({ column, kind, cursorValue, descending });
const byId = (descending = false) => key(sql`${todos.id}`, "uuid", { descending });
const byPosition = key(sql`${todos.position}`, "number");
const byCreated = (descending = false) =>
  key(sql`${todos.createdAt}`, "instant", { cursorValue: isoInstant(todos.createdAt), descending });

/** Every sort ends with the id, so the order is total and a cursor names one exact place. */
const SORTS: Record<TodoSort, SortKey[]> = {
  position: [byPosition, byId()],
  created: [byCreated(), byId()],
  "-created": [byCreated(true), byId(true)],
  due: [
    key(sql`coalesce(${todos.dueAt}, 'infinity'::timestamptz)`, "instant", {
      cursorValue: sql`coalesce(${isoInstant(todos.dueAt)}, 'infinity')`,
    }),
    byId(),
  ],
  priority: [key(sql`${todos.priority}`, "number", { descending: true }), byPosition, byId()],
  // The cursor keeps the title itself and the database lower-cases both sides: JavaScript's
  // toLowerCase and PostgreSQL's lower() disagree on some letters (İ), which would skip items.
  title: [key(sql`lower(${todos.title})`, "text", { cursorValue: sql`${todos.title}` }), byId()],
};

/** A cursor value as SQL, transformed like its column (text keys are compared lower-cased). */
const cursorValue = (sortKey: SortKey, value: CursorValue | undefined) =>
  sortKey.kind === "text" ? sql`lower(${value})` : sql`${value}`;

/** Rows strictly after the cursor: (a, b, id) > (va, vb, vid) with each column's own direction. */
function after(keys: SortKey[], values: CursorValue[]): SQL {
  const alternatives = keys.map((sortKey, index) => {
    const equalBefore = keys
      .slice(0, index)
      .map((earlier, j) => sql`${earlier.column} = ${cursorValue(earlier, values[j])}`);
    const beyond = sortKey.descending
      ? sql`${sortKey.column} < ${cursorValue(sortKey, values[index])}`
      : sql`${sortKey.column} > ${cursorValue(sortKey, values[index])}`;
    return sql.join([...equalBefore, beyond], sql` and `);
  });
  return sql`(${sql.join(
    alternatives.map((alternative) => sql`(${alternative})`),
    sql` or `,
  )})`;
}

/** Without `tz`, "today" is each todo's own: local midnight in its zone, computed by PostgreSQL. */
function startOfDayInOwnZone(now: Date, tomorrow = false): SQL {
  const day = sql`date_trunc('day', ${now.toISOString()}::timestamptz at time zone ${todos.timezone})`;
  return sql`((${day}${tomorrow ? sql` + interval '1 day'` : sql``}) at time zone ${todos.timezone})`;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

/** `ownZone`: the query named no `tz`, so "today" is each todo's own (its `timezone`). */
function filters(userId: SQL | string, query: ListTodosQuery, now: Date, ownZone = false): (SQL | undefined)[] {
  const conditions: (SQL | undefined)[] = [eq(todos.userId, userId)];
  if (query.status === "active") conditions.push(eq(todos.completed, false));
  if (query.status === "completed") conditions.push(eq(todos.completed, true));
  if (query.q) {
    const pattern = `%${escapeLike(query.q)}%`;
    conditions.push(sql`(${todos.title} ilike ${pattern} or ${todos.description} ilike ${pattern})`);
  }
  if (query.tag) conditions.push(arrayContains(todos.tags, [query.tag]));
  if (query.priority) conditions.push(eq(todos.priority, PRIORITIES.indexOf(query.priority)));
  if (query.listId) conditions.push(query.listId === "inbox" ? isNull(todos.listId) : eq(todos.listId, query.listId));
  if (query.parentId) {
    conditions.push(query.parentId === "none" ? isNull(todos.parentId) : eq(todos.parentId, query.parentId));
  }
  switch (query.due) {
    case "overdue":
      conditions.push(lt(todos.dueAt, now), eq(todos.completed, false));
      break;
    case "today":
      conditions.push(
        gte(todos.dueAt, ownZone ? startOfDayInOwnZone(now) : startOfDay(query.tz, now)),
        lt(todos.dueAt, ownZone ? startOfDayInOwnZone(now, true) : startOfDay(query.tz, now, 1)),
      );
      break;
    case "upcoming":
      conditions.push(gte(todos.dueAt, ownZone ? startOfDayInOwnZone(now, true) : startOfDay(query.tz, now, 1)));
      break;
    case "none":
      conditions.push(isNull(todos.dueAt));
      break;
  }
  return conditions;
}

const orderBy = (keys: SortKey[]) =>
  keys.map((sortKey) => (sortKey.descending ? sql`${sortKey.column} desc` : sortKey.column));

type Count = number | Placeholder;

/**
 * One page, written as JSON by the database: the first `limit` todos as TODO_AS_JSON texts joined
 * in order, how many rows there were (up to limit + 1: one more means there is a next page), and
 * the last served todo's sort-key values as a JSON array for its cursor. Turning 50 rows of
 * 20 columns into JavaScript values and back into JSON was most of a list request's CPU, above
 * all on PGlite (docs/benchmarks.md).
 */
function pageQuery(db: Executor, keys: SortKey[], where: SQL | undefined, limit: Count, fetch: Count) {
  const ordered = orderBy(keys);
  const rows = db
    .select({
      item: sql<string>`${TODO_AS_JSON}`.as("item"),
      n: sql<number>`row_number() over (order by ${sql.join(ordered, sql`, `)})`.as("n"),
      keys: sql<string>`json_build_array(${sql.join(
        keys.map((sortKey) => sortKey.cursorValue),
        sql`, `,
      )})::text`.as("keys"),
    })
    .from(todos)
    .where(where)
    .orderBy(...ordered)
    .limit(fetch)
    .as("page");
  return db
    .select({
      items: sql<string | null>`string_agg(${rows.item}, ',' order by ${rows.n}) filter (where ${rows.n} <= ${limit})`,
      found: sql<number>`count(*)::int`,
      lastKeys: sql<string | null>`max(${rows.keys}) filter (where ${rows.n} = ${limit})`,
    })
    .from(rows);
}

/**
 * An unfiltered first page is what every client loads first and most often, and its SQL differs
 * only by sort: it is kept prepared per database and sort.
 */
const firstPages = preparedQueries("list_todos");
const firstPage = (db: Database, sort: TodoSort) =>
  firstPages(db, sort, () =>
    pageQuery(db, SORTS[sort], eq(todos.userId, value("userId")), value("limit"), value("fetch")),
  );

/** A TodoPage as JSON text, sent as it is: the database wrote the todos (see pageQuery). */
export async function listTodos(
  db: Database,
  userId: string,
  query: ListTodosQuery,
  options: { ownZone?: boolean } = {},
): Promise<string> {
  const keys = SORTS[query.sort];
  const conditions = filters(userId, query, new Date(), options.ownZone);
  // Only the owner condition: no filter is in effect.
  const isFirstPageUnfiltered = conditions.length === 1 && !query.cursor;
  if (query.cursor) {
    const cursor = decodeCursor(
      query.cursor,
      query.sort,
      keys.map((sortKey) => sortKey.kind),
    );
    conditions.push(after(keys, cursor.values));
  }
  const [page] = isFirstPageUnfiltered
    ? await firstPage(db, query.sort).execute({ userId, limit: query.limit, fetch: query.limit + 1 })
    : await pageQuery(db, keys, and(...conditions), query.limit, query.limit + 1);
  const hasMore = (page?.found ?? 0) > query.limit;
  const nextCursor =
    hasMore && page?.lastKeys
      ? encodeCursor({ sort: query.sort, values: JSON.parse(page.lastKeys) as CursorValue[] })
      : null;
  return `{"items":[${page?.items ?? ""}],"nextCursor":${JSON.stringify(nextCursor)}}`;
}

// ---------------------------------------------------------------------------------------------
// Reading and writing one todo

export async function getTodo(db: Executor, userId: string, id: string): Promise<Todo> {
  if (!isUuid(id)) throw notFound();
  const [row] = await db
    .select()
    .from(todos)
    .where(and(eq(todos.userId, userId), eq(todos.id, id)));
  if (!row) throw notFound();
  return toTodo(row);
}

/** New todos go last: one more than the user's highest position. */
const nextPosition = (userId: Placeholder | string) =>
  sql`(select coalesce(max(${todos.position}), 0) + 1 from ${todos} where ${todos.userId} = ${userId})`;

const updateQueries = preparedQueries("update_todo");

/** The fields a PATCH may write, in the order their columns are set. */
const WRITABLE = [
  "title",
  "description",
  "dueAt",
  "priority",
  "tags",
  "position",
  "listId",
  "parentId",
  "recurrence",
  "recurFrom",
  "remindAt",
  "timezone",
  "completed",
] as const satisfies readonly (keyof UpdateTodo)[];
type Writable = (typeof WRITABLE)[number];
const INSTANTS = new Set<Writable>(["dueAt", "remindAt"]);

/**
 * The columns an update sets, each bound to a placeholder of its field's name (values:
 * writableValues). Drizzle types no placeholders in `set`, though it binds them as in `values`.
 */
function writableColumns(fields: Writable[], completing: boolean) {
  const columns: Record<string, unknown> = { updatedAt: value("now") };
  for (const field of fields) {
    if (field === "completed") {
      columns.completed = value("completed");
      // Completing keeps the first completion time; re-opening clears it.
      columns.completedAt = completing ? sql`coalesce(${todos.completedAt}, ${value("nowText")}::timestamptz)` : null;
    } else {
      columns[field] = INSTANTS.has(field) ? instantValue(field) : value(field);
    }
  }
  return columns as Partial<typeof todos.$inferInsert>;
}

function writableValues(input: UpdateTodo, now: Date): Record<string, unknown> {
  const instant = (text: string | null | undefined) => (text ? new Date(text).toISOString() : null);
  return {
    ...input,
    dueAt: instant(input.dueAt),
    remindAt: instant(input.remindAt),
    ...(input.priority !== undefined && { priority: PRIORITIES.indexOf(input.priority) }),
    now,
    nowText: now.toISOString(),
  };
}

/** The user's own zone, read in the same statement as the write that needs it. */
const usersTimeZone = (userId: Placeholder | string) =>
  sql`(select ${users.timezone} from ${users} where ${users.id} = ${userId})`;

/**
 * The one insert every new todo takes, its values bound as placeholders, so that its SQL is the
 * same whatever the input and it is built once per database. Unplaced todos go last (one more
 * than the user's highest position) and take the user's zone unless they name one.
 */
const insertQueries = preparedQueries("insert_todo");
const insertTodo = (db: Executor) =>
  insertQueries(db, "todo", () =>
    db
      .insert(todos)
      .values({
        userId: value("userId"),
        id: value("id"),
        title: value("title"),
        description: value("description"),
        completed: value("completed"),
        completedAt: instantValue("completedAt"),
        dueAt: instantValue("dueAt"),
        priority: value("priority"),
        tags: value("tags"),
        position: sql`coalesce(${value("position")}::double precision, ${nextPosition(value("userId"))})`,
        createdAt: value("now"),
        updatedAt: value("now"),
        version: 1,
        listId: value("listId"),
        parentId: value("parentId"),
        recurrence: value("recurrence"),
        recurFrom: value("recurFrom"),
        remindAt: instantValue("remindAt"),
        timezone: sql`coalesce(${value("timezone")}::text, ${usersTimeZone(value("userId"))})`,
      })
      .returning(),
  );

export async function createTodo(db: Executor, userId: string, input: CreateTodo): Promise<Todo> {
  const now = new Date();
  const { inheritedListId } = await checkPlacement(db, userId, input);
  const [row] = await insertTodo(db)
    .execute({
      userId,
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
      listId: input.listId !== undefined ? input.listId : (inheritedListId ?? null),
      parentId: input.parentId ?? null,
      recurrence: input.recurrence ?? null,
      recurFrom: input.recurFrom ?? "due",
      remindAt: input.remindAt ? new Date(input.remindAt).toISOString() : null,
      timezone: input.timezone ?? null,
    })
    .catch((error) => {
      throw asPlacementError(error);
    });
  return toTodo(row!);
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
  userId: string,
  idempotencyKey: string,
  input: CreateTodo,
): Promise<StoredResponse> {
  const requestHash = createHash("sha256").update(JSON.stringify(input)).digest("base64url");
  const now = new Date();
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
    const todo = await createTodo(tx, userId, input);
    await tx.update(idempotencyKeys).set({ status: 201, body: todo }).where(keyMatches);
    return { todo, replayed: false };
  });
}

/** Nothing matched: a missing (or foreign) todo is 404, a stale If-Match 412. */
async function explainMiss(db: Executor, userId: string, id: string): Promise<never> {
  const [exists] = await db
    .select({ version: todos.version })
    .from(todos)
    .where(and(eq(todos.userId, userId), eq(todos.id, id)));
  if (!exists) throw notFound();
  throw new AppError("precondition_failed", "The todo changed since you loaded it; reload it and try again");
}

export async function updateTodo(
  db: Database,
  userId: string,
  id: string,
  input: UpdateTodo,
  ifMatch?: IfMatch,
): Promise<UpdateTodoResult> {
  if (!isUuid(id)) throw notFound();
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
  const completing = input.completed === true;
  const shape = `${fields.join(",")};${completing};${ifMatchShape(ifMatch)};${unlessRecurring}`;
  const [row] = await updateQueries(db, shape, () =>
    db
      .update(todos)
      .set({ ...writableColumns(fields, completing), version: sql`${todos.version} + 1` })
      .where(
        and(
          eq(todos.userId, value("userId")),
          eq(todos.id, value("id")),
          versionCondition(todos.version, ifMatch, { placeholders: true }),
          unlessRecurring ? isNull(todos.recurrence) : undefined,
        ),
      )
      .returning(),
  )
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

/**
 * The next instance of a just-completed recurring todo, created at most once: the completed row
 * is locked by the update that completed it, and remembers the instance it created in `next_id`,
 * so a retry, a concurrent completion (it waits for the lock, then sees next_id) or completing it
 * again after re-opening it answers with the same instance instead of creating another.
 */
async function createNextInstance(db: Executor, completed: TodoRow, now: Date): Promise<Todo | null> {
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
        };
      }),
    );
    parents = copies;
  }
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

export async function deleteTodo(db: Database, userId: string, id: string, ifMatch?: IfMatch) {
  if (!isUuid(id)) throw notFound();
  const deleted = await db
    .delete(todos)
    .where(and(eq(todos.userId, userId), eq(todos.id, id), versionCondition(todos.version, ifMatch)))
    .returning({ id: todos.id });
  if (deleted.length === 0) await explainMiss(db, userId, id);
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

export async function deleteCompleted(db: Database, userId: string): Promise<{ deleted: number }> {
  const deleted = await db
    .delete(todos)
    .where(and(eq(todos.userId, userId), eq(todos.completed, true)))
    .returning({ id: todos.id });
  return { deleted: deleted.length };
}
