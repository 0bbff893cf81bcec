// The baseline every figure is divided by: a bare node:http server on the same database driver
// running the same SQL as the API's listTodos / createTodo / updateTodo, with no framework, no
// validation, no auth and no schema-driven serialization. The caller names the user in `x-user-id`.
//
//   BASELINE_PORT, DATABASE_URL (postgres.js) or DATA_DIR (PGlite, the same `<DATA_DIR>/pgdata`
//   the API uses; PGlite is single-process, so the bench never runs both on one directory at once).
import { createServer } from "node:http";
import { join } from "node:path";
import { embeddedStartParams } from "../apps/api/embedded-database.mjs";

const port = Number(process.env.BASELINE_PORT ?? 4100);
const poolSize = Number(process.env.DATABASE_POOL_SIZE ?? 10);
const PRIORITIES = ["none", "low", "medium", "high"];
// Every column, as drizzle's select() and returning() name them.
const COLUMNS =
  "user_id, id, title, description, completed, completed_at, due_at, priority, tags, position, created_at, updated_at, version, list_id, parent_id, recurrence, recur_from, remind_at, timezone, next_id";

// The statements the API's queries compile to (sort=position, limit 50 → 51 rows asked for).
const LIST = `select ${COLUMNS} from todos where user_id = $1 order by position, id limit 51`;
const CREATE = `insert into todos (user_id, id, title, description, completed, completed_at, due_at, priority, tags, position,
    created_at, updated_at, version, list_id, parent_id, recurrence, recur_from, remind_at, timezone)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9,
    (select coalesce(max(position), 0) + 1 from todos where user_id = $1), $10, $10, 1, null, null, null, 'due', null,
    (select timezone from users where id = $1))
  returning ${COLUMNS}`;
const TOGGLE = `update todos set completed = $3,
    completed_at = case when $3 then coalesce(completed_at, $4::timestamptz) else null end,
    updated_at = $4, version = version + 1
  where user_id = $1 and id = $2 returning ${COLUMNS}`;

/**
 * query(text, params) → rows as objects with Date timestamps, on either driver; transaction(fn)
 * runs fn with a query function bound to one transaction.
 */
async function openDatabase() {
  if (process.env.DATABASE_URL) {
    const { default: postgres } = await import("postgres");
    const sql = postgres(process.env.DATABASE_URL, { max: poolSize, onnotice: () => {} });
    // postgres.js prepares (names and caches) statements by default: what plain use of the driver gives.
    const on = (scope) => (text, params) => scope.unsafe(text, params, { prepare: true });
    return {
      query: on(sql),
      transaction: (fn) => sql.begin((tx) => fn(on(tx))),
      close: () => sql.end(),
    };
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create({
    dataDir: join(process.env.DATA_DIR ?? "./data", "pgdata"),
    startParams: embeddedStartParams(PGlite.defaultStartParams),
  });
  const on = (scope) => async (text, params) => (await scope.query(text, params)).rows;
  return {
    query: on(db),
    transaction: (fn) => db.transaction((tx) => fn(on(tx))),
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

function send(response, status, body) {
  const text = JSON.stringify(body);
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
  if (path === "/todos" && request.method === "GET") {
    const rows = await db.query(LIST, [userId]);
    const page = rows.slice(0, 50);
    const last = page.at(-1);
    const nextCursor =
      rows.length > 50 ? Buffer.from(JSON.stringify(["position", last.position, last.id])).toString("base64url") : null;
    return send(response, 200, { items: page.map(toTodo), nextCursor });
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
    const params = [userId, path.slice(7), input.completed, new Date()];
    // Like the API: completing runs in a transaction (it may create a recurring todo's next instance).
    const [row] = input.completed
      ? await db.transaction((query) => query(TOGGLE, params))
      : await db.query(TOGGLE, params);
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
