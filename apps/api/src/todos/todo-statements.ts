// The only module that knows how the todo SQL is bound and kept prepared: placeholders, the
// statement-shape keys of db/prepared.ts, and the SQL that writes a todo as JSON. Domain code
// (list-todos, create-todo, update-todo, complete-todo) asks for a statement by intent.
import type { TodoSort, UpdateTodo } from "@taskvault/contract/todos";
import { and, eq, fillPlaceholders, isNull, type Placeholder, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Database, Executor } from "../db/client.ts";
import { preparedQueries } from "../db/prepared.ts";
import { listMembers, todos, users } from "../db/schema.ts";
import { type IfMatch, ifMatchShape, versionCondition, versionValues } from "../db/versions.ts";
import { PRIORITIES, type TodoColumns } from "./todo-json.ts";

/** A placeholder of a prepared query (db/prepared.ts), filled by name at `execute`. */
const value = (name: string) => sql.placeholder(name);
/** A nullable instant, bound as its ISO text (drizzle's encoder for dates does not take null). */
const instantValue = (name: string) => sql`${value(name)}::timestamptz`;

export /** An instant as toISOString() writes it (the columns keep milliseconds): 2026-12-02T06:10:59.604Z. */
const isoInstant = (column: AnyPgColumn) =>
  sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * toTodo's JSON, written by the embedded database for the list (pageQuery; decision 018 says why
 * not PostgreSQL): the row's columns under the
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
  ${todos.timezone} as "timezone",
  coalesce(${todos.createdBy}, ${todos.userId}) as "createdBy",
  ${todos.assigneeId} as "assigneeId"
) as todo)`;

/** Every column the contract shows, as the driver hands it over (todoJson writes the JSON). */
const raw = <T>(column: AnyPgColumn) => sql<T>`${column}`;
const TODO_COLUMNS = {
  id: raw<string>(todos.id),
  title: raw<string>(todos.title),
  description: raw<string>(todos.description),
  completed: raw<boolean>(todos.completed),
  completedAt: raw<string | null>(todos.completedAt),
  dueAt: raw<string | null>(todos.dueAt),
  priority: raw<number>(todos.priority),
  tags: raw<string[]>(todos.tags),
  position: raw<number>(todos.position),
  createdAt: raw<string>(todos.createdAt),
  updatedAt: raw<string>(todos.updatedAt),
  version: raw<number>(todos.version),
  listId: raw<string | null>(todos.listId),
  parentId: raw<string | null>(todos.parentId),
  recurrence: raw<string | null>(todos.recurrence),
  recurFrom: raw<string>(todos.recurFrom),
  remindAt: raw<string | null>(todos.remindAt),
  timezone: raw<string>(todos.timezone),
  createdBy: sql<string>`coalesce(${todos.createdBy}, ${todos.userId})`,
  assigneeId: raw<string | null>(todos.assigneeId),
} satisfies Record<keyof TodoColumns, unknown>;

/** A sort order as SQL: its columns, and the values a cursor keeps for them (see list-todos). */
export interface SortKey {
  column: SQL;
  descending: boolean;
  kind: "uuid" | "number" | "instant" | "text";
  /** The key's value in a cursor, as the database writes it into JSON. */
  cursorValue: SQL;
  /** The same value, taken from a row read by the API. */
  valueIn: (row: TodoColumns) => string | number;
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
export function pageQuery(
  db: Executor,
  keys: SortKey[],
  where: SQL | undefined,
  limit: Count,
  fetch: Count,
  { sharesListsOf }: { sharesListsOf?: Placeholder } = {},
) {
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
      sharesLists: sharesListsOf ? sharesLists(sharesListsOf) : sql<boolean>`false`,
    })
    .from(rows);
}

/**
 * One page as rows, for PostgreSQL: the plain select, whose JSON the API writes (list-todos).
 * Writing 50 todos as JSON (row_to_json, to_char) cost the database more than twice what the
 * select costs (docs/decisions/018); API instances are cheaper to add than database CPU.
 */
export function pageRowsQuery(db: Executor, keys: SortKey[], where: SQL | undefined, fetch: Count) {
  return db
    .select(TODO_COLUMNS)
    .from(todos)
    .where(where)
    .orderBy(...orderBy(keys))
    .limit(fetch);
}

/**
 * Is the user a member of someone else's list? Asked inside the own first page's statement (an
 * uncorrelated subplan, one probe of list_members_member_idx), so that the page most requests are
 * for stays one round trip: only a member's page then needs the lists shared with them.
 */
const sharesLists = (userId: Placeholder) =>
  sql<boolean>`exists (select 1 from ${listMembers} where ${listMembers.memberId} = ${userId})`;

/** The own first page's rows, each saying whether the user also sees shared lists. */
const ownFirstPageRowsQuery = (db: Executor, keys: SortKey[]) =>
  db
    .select({ ...TODO_COLUMNS, sharesLists: sharesLists(value("userId")) })
    .from(todos)
    .where(eq(todos.userId, value("userId")))
    .orderBy(...orderBy(keys))
    .limit(value("fetch"));

/**
 * An unfiltered first page of the user's own todos is what every client loads first and most
 * often, and its SQL differs only by sort: it is kept prepared per database and sort, as JSON
 * (embedded) or as rows, and says whether the user also sees shared lists (then list-todos asks
 * again, with them).
 */
const firstPages = preparedQueries("list_todos");
export const selectFirstPage = (db: Database, sort: TodoSort, keys: SortKey[]) =>
  firstPages(db, sort, () =>
    pageQuery(db, keys, eq(todos.userId, value("userId")), value("limit"), value("fetch"), {
      sharesListsOf: value("userId"),
    }),
  );
const firstPageRows = preparedQueries("list_todo_rows");
const selectFirstPageRows = (db: Database, sort: TodoSort, keys: SortKey[]) =>
  firstPageRows(db, sort, () => ownFirstPageRowsQuery(db, keys));

/**
 * The unfiltered first page of a member of shared lists: their own todos and those of every list
 * shared with them, in one statement (in place of asking for the lists, then for a page built for
 * them). It first finds the page's rows by their sort keys alone, then reads just those rows
 * (decision 026, "Reads of a member"): each branch — the own todos along todos_position_idx and
 * the like, each shared list (list_members_member_idx, then its owner's rows along
 * todos_list_position_idx) — is ordered and cut to a page, and in the default order reads its keys
 * from the index alone, in order, without a sort; the union of up to (lists + 1) × fetch keys is
 * ordered and cut to the page (`memberPageKeys`); only then are the page's rows read, by primary
 * key. Reading whole rows in every branch read and sorted 11 × 51 wide rows (bench "shared") to
 * serve 51. As rows on PostgreSQL (the API writes the JSON), as JSON on the embedded database
 * (pageQuery), like the own first page.
 */
const memberPageKeys = (keys: SortKey[]) => {
  const ordered = sql.join(orderBy(keys), sql`, `);
  const [userId, fetch] = [value("userId"), value("fetch")];
  // Each branch's keys, named k0, k1, … so the union can be ordered by them. No todos column is
  // named "owner", "row" or "k…": the select below names the todos columns unqualified.
  const keyNames = keys.map((_, index) => sql.raw(`"k${index}"`));
  const pageKeys = sql.join(
    keys.map((sortKey, index) => sql`${sortKey.column} as ${keyNames[index]}`),
    sql`, `,
  );
  const keyOrder = sql.join(
    keys.map((sortKey, index) => (sortKey.descending ? sql`${keyNames[index]} desc` : keyNames[index])),
    sql`, `,
  );
  const page = sql`((select ${todos.userId} as "owner", ${todos.id} as "row", ${pageKeys} from ${todos}
        where ${todos.userId} = ${userId} order by ${ordered} limit ${fetch})
      union all
      (select "keys".* from ${listMembers} cross join lateral (select ${todos.userId} as "owner", ${todos.id} as "row",
          ${pageKeys} from ${todos}
          where ${todos.userId} = ${listMembers.ownerId} and ${todos.listId} = ${listMembers.listId}
          order by ${ordered} limit ${fetch}) as "keys"
        where ${listMembers.memberId} = ${userId})
      order by ${keyOrder} limit ${fetch}) as "page"`;
  return { page, keyNames };
};

const memberFirstPageRowsQuery = (db: Executor, keys: SortKey[]) => {
  const { page, keyNames } = memberPageKeys(keys);
  return db
    .select(TODO_COLUMNS)
    .from(sql`${page} join ${todos} on ${todos.userId} = "page"."owner" and ${todos.id} = "page"."row"`)
    .orderBy(
      ...keys.map((sortKey, index) =>
        sortKey.descending ? sql`"page".${keyNames[index]} desc` : sql`"page".${keyNames[index]}`,
      ),
    );
};
const memberFirstPageRows = preparedQueries("list_member_todo_rows");
const selectMemberFirstPageRows = (db: Database, sort: TodoSort, keys: SortKey[]) =>
  memberFirstPageRows(db, sort, () => memberFirstPageRowsQuery(db, keys));
const memberFirstPages = preparedQueries("list_member_todos");
/** The member's first page as JSON, for the embedded database (see memberPageKeys). */
export const selectMemberFirstPage = (db: Database, sort: TodoSort, keys: SortKey[]) =>
  memberFirstPages(db, sort, () =>
    pageQuery(
      db,
      keys,
      sql`(${todos.userId}, ${todos.id}) in (select "owner", "row" from ${memberPageKeys(keys).page})`,
      value("limit"),
      value("fetch"),
    ),
  );

/** What drizzle keeps of a prepared postgres.js query: its SQL, its bound values, its client. */
interface PreparedOnPostgres {
  queryString: string;
  params: unknown[];
  client: { unsafe(query: string, params: unknown[]): { values(): Promise<unknown[][]> } };
}
const COLUMN_NAMES = Object.keys(TODO_COLUMNS) as (keyof TodoColumns)[];

/**
 * The unfiltered own first page's rows on PostgreSQL, from the prepared statement's SQL run as it
 * is: drizzle maps every field of every row through its entity checks (`is`), a third of a list
 * request's API CPU (decision 018), and these columns need no mapping — they are the driver's
 * values already — so the value arrays are only named, in TODO_COLUMNS's order (the select's).
 * `sharesLists` comes with the rows: unknown when the user has no todos of their own.
 */
export async function firstPageRowsOnPostgres(
  db: Database,
  sort: TodoSort,
  keys: SortKey[],
  values: { userId: string; fetch: number },
): Promise<{ rows: TodoColumns[]; sharesLists: boolean | undefined }> {
  const rows = await valuesOf(selectFirstPageRows(db, sort, keys), values);
  return {
    rows: rows.map(namedColumns),
    sharesLists: rows.length === 0 ? undefined : rows[0]![COLUMN_NAMES.length] === true,
  };
}

/** The unfiltered first page's rows of a member of shared lists (memberFirstPageRowsQuery), likewise. */
export async function memberFirstPageRowsOnPostgres(
  db: Database,
  sort: TodoSort,
  keys: SortKey[],
  values: { userId: string; fetch: number },
): Promise<TodoColumns[]> {
  return (await valuesOf(selectMemberFirstPageRows(db, sort, keys), values)).map(namedColumns);
}

/** A prepared statement's SQL run as it is, its rows as value arrays (see firstPageRowsOnPostgres). */
function valuesOf(query: unknown, values: Record<string, unknown>): Promise<unknown[][]> {
  const prepared = query as PreparedOnPostgres;
  return prepared.client.unsafe(prepared.queryString, fillPlaceholders(prepared.params, values)).values();
}

function namedColumns(columns: unknown[]): TodoColumns {
  const row: Record<string, unknown> = {};
  for (let index = 0; index < COLUMN_NAMES.length; index++) row[COLUMN_NAMES[index]!] = columns[index];
  return row as unknown as TodoColumns;
}

/** The user's highest position (0 for none): new todos go after it. */
const lastPosition = (userId: Placeholder | SQL) =>
  sql`(select coalesce(max(${todos.position}), 0) from ${todos} where ${todos.userId} = ${userId})`;

/** The user's own zone, read in the same statement as the write that needs it. */
const usersTimeZone = (userId: Placeholder | SQL) =>
  sql`(select ${users.timezone} from ${users} where ${users.id} = ${userId})`;

/**
 * The one insert every new todo takes, its values bound as placeholders, so that its SQL is the
 * same whatever the input and it is built once per database. Unplaced todos go last (one more
 * than the user's highest position) and take the user's zone unless they name one.
 */
const insertQueries = preparedQueries("insert_todo");
export const insertTodo = (db: Executor) =>
  insertQueries(db, "todo", () =>
    db
      .insert(todos)
      .values({
        userId: value("userId"),
        id: value("id"),
        createdBy: value("createdBy"),
        assigneeId: value("assigneeId"),
        reminderBy: value("reminderBy"),
        title: value("title"),
        description: value("description"),
        completed: value("completed"),
        completedAt: instantValue("completedAt"),
        dueAt: instantValue("dueAt"),
        priority: value("priority"),
        tags: value("tags"),
        position: sql`coalesce(${value("position")}::double precision, ${lastPosition(value("userId"))} + 1)`,
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

/**
 * What insertTodo binds, and what each row of insertTodos carries: a todo's columns (instants as
 * ISO text), its owner, and what the database fills in when absent (position, zone).
 */
export type NewTodo = Pick<
  TodoColumns,
  | "id"
  | "title"
  | "description"
  | "completed"
  | "completedAt"
  | "dueAt"
  | "priority"
  | "tags"
  | "listId"
  | "parentId"
  | "recurrence"
  | "recurFrom"
  | "remindAt"
  | "createdBy"
  | "assigneeId"
> & { userId: string; reminderBy: string | null; position: number | null; timezone: string | null; now: Date };

/** insertTodos' rows as the database reads them from its one JSON parameter. */
const NEW_TODO_RECORD = sql.raw(
  `v("userId" uuid, "id" uuid, "createdBy" uuid, "assigneeId" uuid, "reminderBy" uuid, "title" text,
  "description" text, "completed" boolean, "completedAt" timestamptz, "dueAt" timestamptz, "priority" smallint,
  "tags" text[], "position" double precision, "now" timestamptz, "listId" uuid, "parentId" uuid,
  "recurrence" text, "recurFrom" text, "remindAt" timestamptz, "timezone" text)`,
);
const field = (name: keyof NewTodo) => sql.raw(`v."${name}"`);

/**
 * insertTodo for many todos in one statement (group commit, decision 027): the rows come as one
 * JSON array, so the SQL is the same whatever their number. Unplaced todos of one user go after
 * the user's highest position in the order of their ids (uuidv7: the order they were asked for).
 * Columns in the table's order, as an insert from a select needs them.
 */
const NEW_TODOS = sql`select
  ${field("userId")}, ${field("id")}, ${field("title")}, ${field("description")}, ${field("completed")},
  ${field("completedAt")}, ${field("dueAt")}, ${field("priority")}, ${field("tags")},
  coalesce(${field("position")}, ${lastPosition(field("userId"))}
    + row_number() over (partition by ${field("userId")}, ${field("position")} is null order by ${field("id")})),
  ${field("now")}, ${field("now")}, 1, ${field("listId")}, ${field("parentId")}, ${field("recurrence")},
  ${field("recurFrom")}, ${field("remindAt")},
  coalesce(${field("timezone")}, ${usersTimeZone(field("userId"))}),
  null, ${field("createdBy")}, ${field("assigneeId")}, ${field("reminderBy")}
  from json_to_recordset(${value("rows")}::json) as ${NEW_TODO_RECORD}`;

export const insertTodos = (db: Database) =>
  insertQueries(db, "batch", () => db.insert(todos).select(NEW_TODOS).returning());

const updateQueries = preparedQueries("update_todo");

/** The fields a PATCH may write, in the order their columns are set. */
export const WRITABLE = [
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
  "assigneeId",
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
      // A reminder goes to the assignee, else to whoever set it (mail/reminders.ts).
      if (field === "remindAt") columns.reminderBy = value("reminderBy");
    }
  }
  return columns as Partial<typeof todos.$inferInsert>;
}

export function writableValues(input: UpdateTodo, now: Date, callerId: string): Record<string, unknown> {
  const instant = (text: string | null | undefined) => (text ? new Date(text).toISOString() : null);
  return {
    ...input,
    dueAt: instant(input.dueAt),
    remindAt: instant(input.remindAt),
    ...(input.priority !== undefined && { priority: PRIORITIES.indexOf(input.priority) }),
    now,
    nowText: now.toISOString(),
    reminderBy: callerId,
  };
}

/**
 * The UPDATE of the `fields` a request writes, prepared per shape: its SQL depends only on which
 * fields are written and the conditions, never on their values (writableValues, plus userId, id
 * and the If-Match versions).
 */
export function updateTodoStatement(
  db: Executor,
  fields: Writable[],
  { completing, ifMatch, unlessRecurring }: { completing: boolean; ifMatch: IfMatch; unlessRecurring: boolean },
) {
  const shape = `${fields.join(",")};${completing};${ifMatchShape(ifMatch)};${unlessRecurring}`;
  return updateQueries(db, shape, () =>
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
  );
}

export { versionValues };
