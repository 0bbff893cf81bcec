import { startOfDay } from "@taskvault/contract/calendar";
import type { ListTodosQuery, TodoSort } from "@taskvault/contract/todos";
import { and, arrayContains, eq, gte, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { type Database, databaseKind } from "../db/client.ts";
import { isoFromText } from "../db/instant.ts";
import { todos } from "../db/schema.ts";
import { roleForTodo, roleInList, sharedWith } from "../sharing/access.ts";
import { type CursorValue, decodeCursor, encodeCursor, type ValueKind } from "./cursor.ts";
import { PRIORITIES, type TodoColumns, todoJson } from "./todo-json.ts";
import {
  firstPageRowsOnPostgres,
  isoInstant,
  memberFirstPageRowsOnPostgres,
  pageQuery,
  pageRowsQuery,
  type SortKey,
  selectFirstPage,
  selectMemberFirstPage,
} from "./todo-statements.ts";

const key = (
  column: SQL,
  kind: ValueKind,
  valueIn: SortKey["valueIn"],
  { cursorValue = column, descending = false }: { cursorValue?: SQL; descending?: boolean } = {},
): SortKey => ({ column, kind, cursorValue, valueIn, descending });
const byId = (descending = false) => key(sql`${todos.id}`, "uuid", (row) => row.id, { descending });
const byPosition = key(sql`${todos.position}`, "number", (row) => row.position);
const byCreated = (descending = false) =>
  key(sql`${todos.createdAt}`, "instant", (row) => isoFromText(row.createdAt), {
    cursorValue: isoInstant(todos.createdAt),
    descending,
  });

/** Every sort ends with the id, so the order is total and a cursor names one exact place. */
const SORTS: Record<TodoSort, SortKey[]> = {
  position: [byPosition, byId()],
  created: [byCreated(), byId()],
  "-created": [byCreated(true), byId(true)],
  due: [
    key(
      sql`coalesce(${todos.dueAt}, 'infinity'::timestamptz)`,
      "instant",
      (row) => (row.dueAt === null ? "infinity" : isoFromText(row.dueAt)),
      { cursorValue: sql`coalesce(${isoInstant(todos.dueAt)}, 'infinity')` },
    ),
    byId(),
  ],
  priority: [key(sql`${todos.priority}`, "number", (row) => row.priority, { descending: true }), byPosition, byId()],
  // The cursor keeps the title itself and the database lower-cases both sides: JavaScript's
  // toLowerCase and PostgreSQL's lower() disagree on some letters (İ), which would skip items.
  title: [key(sql`lower(${todos.title})`, "text", (row) => row.title, { cursorValue: sql`${todos.title}` }), byId()],
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

/** Without `tz`, "today" is each todo's own (its `timezone`): the contract's v1.1 meaning. */
function filters(scope: SQL, userId: string, query: ListTodosQuery, now: Date): (SQL | undefined)[] {
  const ownZone = query.tz === undefined;
  const zone = query.tz ?? "UTC";
  const conditions: (SQL | undefined)[] = [scope];
  if (query.assignee === "me") conditions.push(eq(todos.assigneeId, userId));
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
        gte(todos.dueAt, ownZone ? startOfDayInOwnZone(now) : startOfDay(zone, now)),
        lt(todos.dueAt, ownZone ? startOfDayInOwnZone(now, true) : startOfDay(zone, now, 1)),
      );
      break;
    case "upcoming":
      conditions.push(gte(todos.dueAt, ownZone ? startOfDayInOwnZone(now, true) : startOfDay(zone, now, 1)));
      break;
    case "none":
      conditions.push(isNull(todos.dueAt));
      break;
  }
  return conditions;
}

/**
 * Whose rows the caller sees (sharing/access.ts decides): their own, and the lists shared with
 * them, each on its owner's rows. A list or parent the caller cannot see is an empty page, as for
 * one that does not exist. null: nothing at all.
 */
async function visibleScope(
  db: Database,
  userId: string,
  query: ListTodosQuery,
): Promise<{ scope: SQL; own: boolean } | null> {
  const own = eq(todos.userId, userId);
  if (query.listId && query.listId !== "inbox") {
    const found = await roleInList(db, userId, query.listId);
    return found ? { scope: eq(todos.userId, found.ownerId), own: found.ownerId === userId } : null;
  }
  if (query.parentId && query.parentId !== "none") {
    const found = await roleForTodo(db, userId, query.parentId);
    if (!found) return null;
    if (found.ownerId === userId) return { scope: own, own: true };
    return { scope: and(eq(todos.userId, found.ownerId), eq(todos.listId, found.listId!))!, own: false };
  }
  if (query.listId === "inbox") return { scope: own, own: true };
  const shared = await sharedWith(db, userId);
  if (shared.length === 0) return { scope: own, own: true };
  return {
    scope: or(own, ...shared.map((list) => and(eq(todos.userId, list.ownerId), eq(todos.listId, list.listId))))!,
    own: false,
  };
}

const EMPTY_PAGE = `{"items":[],"nextCursor":null}`;

/**
 * Users whose last unfiltered first page needed the lists shared with them (or, on PostgreSQL, who
 * had no todos to tell): their next one skips the own first page's statement and, on PostgreSQL,
 * its round trip (decision 026, "Reads of a member"). Only a hint of cost, never of access: the
 * member's statement reads the memberships itself, so a stale entry still serves exactly the page
 * (a former member's own todos), and an owner who becomes a member is told by the own statement.
 * Entries lapse after a minute, so a former member returns to the owner's one statement.
 */
const seesSharedLists = new LRUCache<string, true>({ max: 10_000, ttl: 60_000 });

/** A TodoPage as JSON text, sent as it is (its todos written by PGlite or by the API: decision 018). */
export async function listTodos(db: Database, userId: string, query: ListTodosQuery): Promise<string> {
  const keys = SORTS[query.sort];
  const now = new Date();
  // No filter and no cursor: the page most requests are for, one prepared statement that also
  // says whether the user is a member of shared lists; only a member's page is asked again.
  const isFirstPage = !query.cursor && filters(sql`true`, userId, query, now).length === 1;
  const firstPage =
    isFirstPage && !seesSharedLists.has(userId) ? await ownFirstPage(db, userId, query, keys) : undefined;
  if (firstPage !== undefined && firstPage !== WITH_SHARED_LISTS) return firstPage;
  if (isFirstPage) {
    // A member's (or, on PostgreSQL, someone's without todos) first page: one prepared statement,
    // not a query for their lists and then a page built for them (decision 026, bench "shared").
    seesSharedLists.set(userId, true);
    return memberFirstPage(db, userId, query, keys);
  }
  const visible = await visibleScope(db, userId, query);
  if (!visible) return EMPTY_PAGE;
  const conditions = filters(visible.scope, userId, query, now);
  if (query.cursor) {
    const cursor = decodeCursor(
      query.cursor,
      query.sort,
      keys.map((sortKey) => sortKey.kind),
    );
    conditions.push(after(keys, cursor.values));
  }
  const fetch = query.limit + 1;
  // The page's JSON is written where it is cheapest (decision 018): by the embedded database,
  // which shares the process; by the API in front of PostgreSQL, whose CPU is the scarce one.
  if (databaseKind(db) === "postgres") {
    return pageFromRows(await pageRowsQuery(db, keys, and(...conditions), fetch), query, keys);
  }
  const [page] = await pageQuery(db, keys, and(...conditions), query.limit, fetch);
  return pageFromJson(page, query);
}

/**
 * The own first page cannot answer: the user is a member of shared lists, or (on PostgreSQL, whose
 * rows carry the answer) has no todos of their own, so may be one.
 */
const WITH_SHARED_LISTS = Symbol("the first page needs the lists shared with the user");

/** The unfiltered first page of the user's own todos, unless they also see shared lists. */
async function ownFirstPage(
  db: Database,
  userId: string,
  query: ListTodosQuery,
  keys: SortKey[],
): Promise<string | typeof WITH_SHARED_LISTS> {
  const fetch = query.limit + 1;
  if (databaseKind(db) === "postgres") {
    const { rows, sharesLists } = await firstPageRowsOnPostgres(db, query.sort, keys, { userId, fetch });
    return sharesLists === false ? pageFromRows(rows, query, keys) : WITH_SHARED_LISTS;
  }
  const [page] = await selectFirstPage(db, query.sort, keys).execute({ userId, limit: query.limit, fetch });
  return page?.sharesLists ? WITH_SHARED_LISTS : pageFromJson(page, query);
}

/** The unfiltered first page of a member of shared lists: their own todos and their lists'. */
async function memberFirstPage(db: Database, userId: string, query: ListTodosQuery, keys: SortKey[]): Promise<string> {
  const fetch = query.limit + 1;
  if (databaseKind(db) === "postgres") {
    return pageFromRows(await memberFirstPageRowsOnPostgres(db, query.sort, keys, { userId, fetch }), query, keys);
  }
  const [page] = await selectMemberFirstPage(db, query.sort, keys).execute({ userId, limit: query.limit, fetch });
  return pageFromJson(page, query);
}

/** A page from the rows of PostgreSQL: the API writes the JSON. */
function pageFromRows(rows: TodoColumns[], query: ListTodosQuery, keys: SortKey[]): string {
  const served = rows.slice(0, query.limit);
  const last = rows.length > query.limit ? served.at(-1) : undefined;
  const nextCursor = last
    ? encodeCursor({ sort: query.sort, values: keys.map((sortKey) => sortKey.valueIn(last)) })
    : null;
  return pageJson(served.map(todoJson).join(","), nextCursor);
}

/** A page whose JSON the embedded database wrote (pageQuery). */
function pageFromJson(
  page: { items: string | null; found: number; lastKeys: string | null } | undefined,
  query: ListTodosQuery,
): string {
  const hasMore = (page?.found ?? 0) > query.limit;
  const nextCursor =
    hasMore && page?.lastKeys
      ? encodeCursor({ sort: query.sort, values: JSON.parse(page.lastKeys) as CursorValue[] })
      : null;
  return pageJson(page?.items ?? "", nextCursor);
}

const pageJson = (items: string, nextCursor: string | null) =>
  `{"items":[${items}],"nextCursor":${JSON.stringify(nextCursor)}}`;
