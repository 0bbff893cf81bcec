// The naive baseline (issue 14): what a plain implementation costs the database. A bare node:http
// server on postgres.js (prepared statements, the driver's default) running a plain
// `SELECT … LIMIT`, `INSERT … RETURNING` and `UPDATE … RETURNING` against a copy of the seeded
// database without the change-log triggers (bench/fixtures.mjs, copyWithoutTriggers). Rows are
// turned into the contract's JSON in JavaScript, as any server must. PostgreSQL only.
//
//   BASELINE_PORT, DATABASE_URL, DATABASE_POOL_SIZE; the caller names the user in `x-user-id`.
import { createServer } from "node:http";
import postgres from "postgres";

const port = Number(process.env.BASELINE_PORT ?? 4200);
const sql = postgres(process.env.DATABASE_URL, {
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
  onnotice: () => {},
});
const PRIORITIES = ["none", "low", "medium", "high"];
const COLUMNS =
  "id, title, description, completed, completed_at, due_at, priority, tags, position, created_at, updated_at, version, list_id, parent_id, recurrence, recur_from, remind_at, timezone, coalesce(created_by, user_id) as created_by, assignee_id";
const LIST = `select ${COLUMNS} from todos where user_id = $1 order by position, id limit 51`;
// New todos go last, as they must in any implementation of the contract.
const CREATE = `insert into todos (user_id, id, title, description, completed, completed_at, priority, tags, position,
    created_at, updated_at, version, recur_from)
  values ($1, $2, $3, $4, $5, $6, $7, $8, (select coalesce(max(position), 0) + 1 from todos where user_id = $1),
    $9, $9, 1, 'due')
  returning ${COLUMNS}`;
const TOGGLE = `update todos set completed = $3, completed_at = case when $3 then $4::timestamptz end, updated_at = $4,
    version = version + 1
  where user_id = $1 and id = $2 returning ${COLUMNS}`;

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

const query = (text, params) => sql.unsafe(text, params, { prepare: true });

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

async function handle(request, response) {
  const userId = request.headers["x-user-id"];
  const [path] = request.url.split("?");
  if (path === "/readyz") {
    await query("select 1", []);
    return send(response, 200, { status: "ready" });
  }
  if (path === "/todos" && request.method === "GET") {
    const rows = await query(LIST, [userId]);
    const items = rows.slice(0, 50).map(toTodo);
    const last = rows.length > 50 ? rows[49] : null;
    const nextCursor = last
      ? Buffer.from(JSON.stringify(["position", last.position, last.id])).toString("base64url")
      : null;
    return send(response, 200, { items, nextCursor });
  }
  if (path === "/todos" && request.method === "POST") {
    const input = JSON.parse(await readBody(request));
    const now = new Date();
    const [row] = await query(CREATE, [
      userId,
      crypto.randomUUID(),
      input.title,
      input.description ?? "",
      input.completed ?? false,
      input.completed ? now : null,
      PRIORITIES.indexOf(input.priority ?? "none"),
      input.tags ?? [],
      now,
    ]);
    return send(response, 201, toTodo(row));
  }
  if (path.startsWith("/todos/") && request.method === "PATCH") {
    const input = JSON.parse(await readBody(request));
    const [row] = await query(TOGGLE, [userId, path.slice(7), Boolean(input.completed), new Date()]);
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
  server.close(() => sql.end().then(() => process.exit(0)));
  server.closeAllConnections();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
