import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Session } from "@taskvault/contract/auth";
import type { Todo, TodoPage } from "@taskvault/contract/todos";
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import postgres from "postgres";
import { expect } from "vitest";
import { buildApp } from "../../src/app.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.ts";

export const onPostgres = process.env.TASKVAULT_TEST_DB === "postgres";

export interface TestDatabase {
  handle: DatabaseHandle;
  /** The database's URL, to open another connection to it (a second instance); none on PGlite. */
  url: string | undefined;
  drop(): Promise<void>;
}

/** A fresh database: PGlite in memory, or a database of its own on the TEST_DATABASE_URL server. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!onPostgres) {
    const handle = await openDatabase({});
    return { handle, url: undefined, drop: () => handle.close() };
  }
  const serverUrl = new URL(process.env.TEST_DATABASE_URL!);
  const name = `taskvault_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(serverUrl.href, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl.href);
  url.pathname = `/${name}`;
  const handle = await openDatabase({ url: url.href, poolSize: 5 });
  return {
    handle,
    url: url.href,
    async drop() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  config: Config;
  close(): Promise<void>;
}

/** The real app on a real database; everything is closed by `close()` (call it in afterAll). */
export async function buildTestApp(env: Record<string, string> = {}, database?: TestDatabase): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), "taskvault-test-"));
  const config = loadConfig({
    NODE_ENV: "test",
    DATA_DIR: dataDir,
    AUTH_KEY_SECRET: randomBytes(32).toString("base64"),
    AUTH_RATE_LIMIT: "off",
    // Every app of a test file shares one event loop, which a PGlite start-up blocks for seconds:
    // load shedding would answer 503 to the others. protection.test.ts turns it on.
    API_MAX_EVENT_LOOP_DELAY: "0",
    LOG_LEVEL: "silent",
    ...env,
  });
  const db = database ?? (await createTestDatabase());
  const app = await buildApp({ config, database: db.handle, logger: false });
  await app.ready();
  return {
    app,
    database: db,
    config,
    async close() {
      await app.close();
      if (!database) await db.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
export const uniqueEmail = (prefix = "user") => `${prefix}-${Date.now()}-${counter++}@example.com`;
export const PASSWORD = "a long and unusual passphrase";

export async function signUp(app: FastifyInstance, email = uniqueEmail(), password = PASSWORD): Promise<Session> {
  const response = await app.inject({ method: "POST", url: "/api/v1/auth/signup", payload: { email, password } });
  if (response.statusCode !== 201) throw new Error(`sign-up failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** inject() with a Bearer token. */
export function as(app: FastifyInstance, session: Pick<Session, "accessToken">) {
  return (options: InjectOptions): Promise<LightMyRequestResponse> =>
    app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${session.accessToken}` } });
}

type Api = (options: InjectOptions) => Promise<LightMyRequestResponse>;

/** One page of `GET /todos?<query>`, which must answer 200. */
export async function listTodos(api: Api, query: string): Promise<TodoPage> {
  const response = await api({ method: "GET", url: `/api/v1/todos?${query}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** Every todo of `GET /todos?<query>`, page after page through the cursors; `between` runs between two pages. */
export async function walkTodos(api: Api, query: string, between?: (page: number) => Promise<void>): Promise<Todo[]> {
  const seen: Todo[] = [];
  let cursor: string | null = null;
  let page = 0;
  do {
    const result: TodoPage = await listTodos(api, `${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    seen.push(...result.items);
    cursor = result.nextCursor;
    if (between && cursor) await between(page++);
  } while (cursor);
  return seen;
}
