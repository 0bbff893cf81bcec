// Fresh databases, seeding through the API, and the environment every server under test gets.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const PASSWORD = "bench-correct-horse-7";
export const POOL_SIZE = 10;
export const adminUrl =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  "postgres://postgres@127.0.0.1:5432/test";
const KEY_SECRET = randomBytes(32).toString("base64");

// ---------------------------------------------------------------------------------------------
// Databases: a fresh one per run

export async function freshPostgres() {
  const { default: postgres } = await import("postgres");
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  const name = `taskvault_bench_${Date.now()}_${process.pid}`;
  await admin.unsafe(`create database "${name}"`);
  const urlOf = (database) => {
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    return url.toString();
  };
  const copies = [];
  return {
    name,
    env: { DATABASE_URL: urlOf(name), DATABASE_POOL_SIZE: String(POOL_SIZE) },
    /**
     * The naive baseline's database: a copy of this one (its seeded data, tables and indexes)
     * without the change-log triggers. Taken while nothing is connected to this one.
     */
    async copyWithoutTriggers() {
      const copy = `${name}_naive`;
      await admin.unsafe(`create database "${copy}" template "${name}"`);
      copies.push(copy);
      const sql = postgres(urlOf(copy), { max: 1, onnotice: () => {} });
      const triggers = await sql`select tgname, tgrelid::regclass::text as tab from pg_trigger where not tgisinternal`;
      for (const { tgname, tab } of triggers) await sql.unsafe(`drop trigger "${tgname}" on ${tab}`);
      await sql.end();
      return { name: copy, env: { DATABASE_URL: urlOf(copy), DATABASE_POOL_SIZE: String(POOL_SIZE) } };
    },
    /**
     * A copy of this database as it is (seeded, migrated so far), for an API bundle of its own: a
     * bundle with newer migrations applies them to its copy only. Taken while nothing is connected.
     */
    async copy(suffix) {
      const copy = `${name}_${suffix}`;
      await admin.unsafe(`create database "${copy}" template "${name}"`);
      copies.push(copy);
      return { name: copy, env: { DATABASE_URL: urlOf(copy), DATABASE_POOL_SIZE: String(POOL_SIZE) } };
    },
    async drop() {
      for (const database of [name, ...copies])
        await admin.unsafe(`drop database if exists "${database}" with (force)`);
      await admin.end();
    },
  };
}

export function freshPglite() {
  const dir = mkdtempSync(join(tmpdir(), "taskvault-bench-"));
  const extraDirs = [];
  return {
    env: { DATA_DIR: dir },
    extraDirs,
    async drop() {
      for (const path of [dir, ...extraDirs]) rmSync(path, { recursive: true, force: true });
    },
  };
}

export async function postgresReachable() {
  const { default: postgres } = await import("postgres");
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 3 });
  try {
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

// ---------------------------------------------------------------------------------------------
// Seeding through the API, as a client would

/** One JSON call to the API; throws with the status and body when it is not 2xx. */
export async function call(base, method, path, { token, body } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

async function signUpAt(base, label) {
  const email = `${label}-${randomBytes(4).toString("hex")}@bench.example`;
  const session = await call(base, "POST", "/api/v1/auth/signup", { body: { email, password: PASSWORD } });
  return { id: session.user.id, email, token: session.accessToken, todoIds: [] };
}

export async function seed(base, { readers, writers, todosPerUser, manyWriters = 0, apiTokens = false }) {
  const signUp = (label) => signUpAt(base, label);
  const users = [];
  for (let i = 0; i < readers + writers + 1; i++) users.push(await signUp(`user${i}`));
  await Promise.all(
    users.slice(0, readers + writers).map(async (user) => {
      for (let i = 0; i < todosPerUser; i++) {
        const todo = await call(base, "POST", "/api/v1/todos", {
          token: user.token,
          body: { title: `Todo ${i + 1} of a benchmark user`, description: "Seeded by bench/run.mjs", tags: ["bench"] },
        });
        user.todoIds.push(todo.id);
      }
    }),
  );
  // The multi-user write scenario's users: signed up, no todos of their own yet.
  const crowd = [];
  for (let i = 0; i < manyWriters; i++) crowd.push(await signUp(`writer${i}`));
  // Issue 17: each reader's read-only API token, created as Settings does (after the password).
  if (apiTokens) {
    for (const user of users.slice(0, readers)) {
      const created = await call(base, "POST", "/api/v1/me/tokens", {
        token: user.token,
        body: { name: "bench", scopes: ["todos:read"], password: PASSWORD },
      });
      user.apiToken = created.token;
    }
  }
  const page = await call(base, "GET", "/api/v1/todos", { token: users[0].token });
  if (page.items.length !== Math.min(50, todosPerUser)) throw new Error("seeded list has the wrong length");
  return {
    listUsers: users.slice(0, readers),
    writeUsers: users.slice(readers, readers + writers),
    floodUser: users.at(-1),
    crowd,
    password: PASSWORD,
  };
}

/**
 * Marks addresses verified straight in the database (what following the emailed link does). On
 * PGlite the API must be stopped: the data directory is one process's at a time.
 */
export async function markVerified(dbEnv, emails) {
  if (dbEnv.DATABASE_URL) {
    const { default: postgres } = await import("postgres");
    const sql = postgres(dbEnv.DATABASE_URL, { max: 1, onnotice: () => {} });
    try {
      await sql`update users set email_verified_at = now() where email in ${sql(emails)}`;
    } finally {
      await sql.end();
    }
    return;
  }
  const { PGlite } = await import("@electric-sql/pglite");
  const db = await PGlite.create({ dataDir: join(dbEnv.DATA_DIR, "pgdata") });
  try {
    await db.query("update users set email_verified_at = now() where email = any($1)", [emails]);
  } finally {
    await db.close();
  }
}

/**
 * The shared-lists scenario's people (issue 18): `owners` each own one list of `todosPerList`
 * todos, shared as editor with every one of `members`; so each member sees `owners` shared lists.
 * Invitations match verified addresses: `verify(emails)` marks the members' verified directly in
 * the database (no mail is sent in a bench), and may restart the API on the same address.
 */
export async function seedSharing(base, { owners, members, todosPerList, verify }) {
  const ownerUsers = [];
  for (let i = 0; i < owners; i++) ownerUsers.push(await signUpAt(base, `owner${i}`));
  const memberUsers = [];
  for (let i = 0; i < members; i++) memberUsers.push(await signUpAt(base, `member${i}`));
  await verify(memberUsers.map((member) => member.email));
  await Promise.all(
    ownerUsers.map(async (owner, index) => {
      const list = await call(base, "POST", "/api/v1/lists", { token: owner.token, body: { name: `Shared ${index}` } });
      owner.listId = list.id;
      for (let i = 0; i < todosPerList; i++) {
        const todo = await call(base, "POST", "/api/v1/todos", {
          token: owner.token,
          body: { title: `Todo ${i + 1} of a shared list`, description: "Seeded by bench/run.mjs", listId: list.id },
        });
        owner.todoIds.push(todo.id);
      }
      for (const member of memberUsers) {
        await call(base, "POST", `/api/v1/lists/${list.id}/invitations`, {
          token: owner.token,
          body: { email: member.email, role: "editor" },
        });
      }
    }),
  );
  for (const member of memberUsers) {
    const { items } = await call(base, "GET", "/api/v1/invitations", { token: member.token });
    for (const invitation of items) {
      await call(base, "POST", `/api/v1/invitations/${invitation.id}/accept`, { token: member.token });
    }
  }
  const seen = await call(base, "GET", `/api/v1/todos?listId=${ownerUsers[0].listId}`, { token: memberUsers[0].token });
  const lists = await call(base, "GET", "/api/v1/lists", { token: memberUsers[0].token });
  if (seen.items.length !== Math.min(50, todosPerList) || lists.items.length !== owners) {
    throw new Error("a member does not see the shared lists as seeded");
  }
  return { owners: ownerUsers, members: memberUsers };
}

export function apiEnv(dbEnv, port) {
  const env = { ...process.env };
  for (const name of ["DATABASE_URL", "REDIS_URL", "DATA_DIR", "TRUST_PROXY", "AUTH_HASH_CONCURRENCY"])
    delete env[name];
  return {
    ...env,
    ...dbEnv,
    NODE_ENV: "production",
    AUTH_KEY_SECRET: KEY_SECRET,
    API_PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    AUTH_RATE_LIMIT: "off",
    // Long enough that the seeded tokens outlive the whole run.
    AUTH_ACCESS_TTL: "3600",
  };
}
