// The baseline every figure is divided by: a bare node:http server on the same database driver
// running the same SQL as the API's listTodos / createTodo / updateTodo, with no framework, no
// validation, no auth and no schema-driven serialization. The caller names the user in `x-user-id`.
// The bench bundles it with esbuild (bench/auth-off/build.mjs), for the PGlite statement cache's
// TypeScript.
//
//   BASELINE_PORT, DATABASE_URL (postgres.js) or DATA_DIR (PGlite, the same `<DATA_DIR>/pgdata`
//   the API uses; PGlite is single-process, so the bench never runs both on one directory at once).
import { createServer } from "node:http";
import { join } from "node:path";
import { embeddedStartParams } from "../apps/api/embedded-database.mjs";
import { withPreparedStatements } from "../apps/api/src/db/pglite-statements.ts";

const port = Number(process.env.BASELINE_PORT ?? 4100);
const poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 10);
const PRIORITIES = ["none", "low", "medium", "high"];
// Every column, as drizzle's select() and returning() name them.
const COLUMNS =
  "user_id, id, title, description, completed, completed_at, due_at, priority, tags, position, created_at, updated_at, version, list_id, parent_id, recurrence, recur_from, remind_at, timezone, next_id, coalesce(created_by, user_id) as created_by, assignee_id";

const iso = (column) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
// The statements the API's queries compile to (sort=position, limit 50 → 51 rows asked for). The
// list page is JSON written by the database, as the API's pageQuery writes it.
const LIST = `select string_agg(item, ',' order by n) filter (where n <= $2) as items, count(*)::int as found,
    max(keys) filter (where n = $2) as last_keys
  from (select (select row_to_json(todo)::text from (select todos.id as "id", todos.title as "title",
      todos.description as "description", todos.completed as "completed",
      ${iso("todos.completed_at")} as "completedAt", ${iso("todos.due_at")} as "dueAt",
      coalesce((array['none', 'low', 'medium', 'high'])[todos.priority + 1], 'none') as "priority",
      todos.tags as "tags", todos.position as "position", ${iso("todos.created_at")} as "createdAt",
      ${iso("todos.updated_at")} as "updatedAt", todos.version as "version", todos.list_id as "listId",
      todos.parent_id as "parentId", todos.recurrence as "recurrence", todos.recur_from as "recurFrom",
      ${iso("todos.remind_at")} as "remindAt", todos.timezone as "timezone",
      coalesce(todos.created_by, todos.user_id) as "createdBy", todos.assignee_id as "assigneeId") as todo) as item,
    row_number() over (order by todos.position, todos.id) as n,
    json_build_array(todos.position, todos.id)::text as keys
    from todos where todos.user_id = $1 order by todos.position, todos.id limit $3) page`;
// On PostgreSQL the API reads the page's rows and writes their JSON itself (decision 018).
const LIST_ROWS = `select ${COLUMNS} from todos where todos.user_id = $1 order by todos.position, todos.id limit $2`;
const CREATE = `insert into todos (user_id, id, title, description, completed, completed_at, due_at, priority, tags, position,
    created_at, updated_at, version, list_id, parent_id, recurrence, recur_from, remind_at, timezone)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9,
    (select coalesce(max(position), 0) + 1 from todos where user_id = $1), $10, $10, 1, null, null, null, 'due', null,
    (select timezone from users where id = $1))
  returning ${COLUMNS}`;
// Completing a todo that does not repeat is one statement; re-opening one too.
const COMPLETE = `update todos set completed = true, completed_at = coalesce(completed_at, $3::timestamptz),
    updated_at = $3, version = version + 1
  where user_id = $1 and id = $2 and recurrence is null returning ${COLUMNS}`;
const REOPEN = `update todos set completed = false, completed_at = null, updated_at = $3, version = version + 1
  where user_id = $1 and id = $2 returning ${COLUMNS}`;

/** query(text, params) → rows as objects with Date timestamps, on either driver. */
async function openDatabase() {
  if (process.env.DATABASE_URL) {
    const { default: postgres } = await import("postgres");
    const sql = postgres(process.env.DATABASE_URL, { max: poolSize, onnotice: () => {} });
    // postgres.js prepares (names and caches) statements by default: what plain use of the driver gives.
    return {
      kind: "postgres",
      query: (text, params) => sql.unsafe(text, params, { prepare: true }),
      close: () => sql.end(),
    };
  }
  const pglite = await import("@electric-sql/pglite");
  const db = await pglite.PGlite.create({
    dataDir: join(process.env.DATA_DIR ?? "./data", "pgdata"),
    startParams: embeddedStartParams(pglite.PGlite.defaultStartParams),
  });
  // The same named prepared statements as the API's, PGlite's counterpart of postgres.js's.
  const prepared = withPreparedStatements(db, pglite);
  return {
    kind: "pglite",
    query: async (text, params) => (await prepared.query(text, params)).rows,
    close: () => db.close(),
  };
}

const toTodo = (row) => ({
  id: row.id,
  title: row.title,
  description: row.description,
  completed: row.completed,
  completedAt: row.completed_at?.toISOString() ?? null,
  dueAt: row.due_at?.toISOString() ?? null,
  priority: PRIORITIES[row.priority] ?? "none",
  tags: row.tags,
  position: row.position,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  version: row.version,
  listId: row.list_id,
  parentId: row.parent_id,
  recurrence: row.recurrence,
  recurFrom: row.recur_from,
  remindAt: row.remind_at?.toISOString() ?? null,
  timezone: row.timezone,
  createdBy: row.created_by,
  assigneeId: row.assignee_id,
});

function readBody(request) {
  return new Promise((resolve, reject) => {
    let text = "";
    request.setEncoding("utf8");
    request.on("data", (chunk) => {
      text += chunk;
    });
    request.on("end", () => resolve(text));
    request.on("error", reject);
  });
}

const send = (response, status, body) => sendJson(response, status, JSON.stringify(body));

function sendJson(response, status, text) {
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

const db = await openDatabase();

async function handle(request, response) {
  const userId = request.headers["x-user-id"];
  const [path] = request.url.split("?");
  if (path === "/readyz") {
    await db.query("select 1", []);
    return send(response, 200, { status: "ready" });
  }
  if (path === "/todos" && request.method === "GET" && db.kind === "postgres") {
    const rows = await db.query(LIST_ROWS, [userId, 51]);
    const items = rows.slice(0, 50).map((row) => JSON.stringify(toTodo(row)));
    const last = rows.length > 50 ? rows[49] : null;
    const nextCursor = last
      ? Buffer.from(JSON.stringify(["position", last.position, last.id])).toString("base64url")
      : null;
    return sendJson(response, 200, `{"items":[${items.join(",")}],"nextCursor":${JSON.stringify(nextCursor)}}`);
  }
  if (path === "/todos" && request.method === "GET") {
    const [page] = await db.query(LIST, [userId, 50, 51]);
    const nextCursor =
      page.found > 50
        ? Buffer.from(JSON.stringify(["position", ...JSON.parse(page.last_keys)])).toString("base64url")
        : null;
    return sendJson(response, 200, `{"items":[${page.items ?? ""}],"nextCursor":${JSON.stringify(nextCursor)}}`);
  }
  if (path === "/todos" && request.method === "POST") {
    const input = JSON.parse(await readBody(request));
    const now = new Date();
    const [row] = await db.query(CREATE, [
      userId,
      crypto.randomUUID(),
      input.title,
      input.description ?? "",
      input.completed ?? false,
      input.completed ? now : null,
      input.dueAt ? new Date(input.dueAt) : null,
      PRIORITIES.indexOf(input.priority ?? "none"),
      input.tags ?? [],
      now,
    ]);
    return send(response, 201, toTodo(row));
  }
  if (path.startsWith("/todos/") && request.method === "PATCH") {
    const input = JSON.parse(await readBody(request));
    // Like the API: completing a todo that does not repeat is one statement (the bench's never do).
    const [row] = await db.query(input.completed ? COMPLETE : REOPEN, [userId, path.slice(7), new Date()]);
    return row ? send(response, 200, toTodo(row)) : send(response, 404, { code: "not_found" });
  }
  send(response, 404, { code: "not_found" });
}

const server = createServer({ keepAliveTimeout: 72_000 }, (request, response) => {
  handle(request, response).catch((error) => {
    console.error(error);
    if (!response.headersSent) send(response, 500, { code: "internal_error" });
  });
});
server.listen(port, "127.0.0.1");

const stop = () => {
  server.close(() => db.close().then(() => process.exit(0)));
  server.closeAllConnections();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
