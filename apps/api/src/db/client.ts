import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { embeddedStartParams } from "../../embedded-database.mjs";
import { DatabaseDeadlineError } from "./availability.ts";
import { withPreparedStatements as withPreparedPgliteStatements } from "./pglite-statements.ts";
import * as schema from "./schema.ts";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either the database or a transaction on it: domain functions accept both. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  /**
   * Whether the database answers `select 1` within `timeoutMs`, on a connection of its own (not
   * queued behind the request pool): what /readyz reports.
   */
  ping(timeoutMs: number): Promise<boolean>;
  /** Runs `work` (the migrations at start-up) without the per-query deadline: it may be slow by nature. */
  withoutDeadline<T>(work: () => Promise<T>): Promise<T>;
  kind: "postgres" | "pglite";
  close(): Promise<void>;
}

const kinds = new WeakMap<Database, DatabaseHandle["kind"]>();
/**
 * Which database a handle's `db` talks to, for the few places where the cheapest way differs: the
 * embedded database shares the API's process, PostgreSQL's CPU is the one scaling out cannot add
 * (decision 018).
 */
export const databaseKind = (db: Database): DatabaseHandle["kind"] => kinds.get(db) ?? "postgres";

export interface DatabaseOptions {
  /** A postgres:// URL; without it an embedded PGlite database is used. */
  url?: string | undefined;
  /** Where PGlite keeps its files; omitted means in memory (tests). */
  dataDir?: string | undefined;
  poolSize?: number;
  /** How long a query may wait for a connection and run, all told (default QUERY_DEADLINE_MS). */
  queryDeadlineMs?: number;
  /** Told once when the embedded database's files fail for good (a read-only DATA_DIR): the operator's log line. */
  onFailure?: (message: string) => void;
}

/**
 * No request waits for PostgreSQL longer than this, whatever the database does: refusing
 * connections, restarting, or a network path that swallows packets (decision 017). The server
 * also stops a statement at this age (statement_timeout), so its work does not outlive the wait.
 */
export const QUERY_DEADLINE_MS = 5_000;
/** A dead address is known in two seconds; the default, 30 s, is what made requests hang. */
const CONNECT_TIMEOUT_S = 2;
/**
 * Seconds before reconnecting after the n-th failure: quick and capped, so the pool is back within
 * half a second of the database (postgres.js's default grows to 20 s).
 */
const reconnectDelay = (failures: number) => Math.min(0.05 * 2 ** failures, 0.5);

/**
 * What a postgres.js query is to us: a thenable; postgres.js 3.4 sets `state` once it is sent and
 * sends `strings`/`args` with `options` (whose `onexecute` reserves a connection for a transaction).
 */
type PendingQuery = PromiseLike<unknown>;

/**
 * Makes `query` reject with DatabaseDeadlineError once `ms` pass. postgres.js queries run when
 * first awaited, so the clock starts then.
 */
function withDeadline<Q extends PendingQuery>(query: Q, ms: number): Q {
  const run = query.then.bind(query);
  // biome-ignore lint/suspicious/noThenProperty: the query stays a postgres.js query (drizzle calls its methods); only awaiting it gains the deadline
  Object.defineProperty(query, "then", {
    value: (onFulfilled?: (value: unknown) => unknown, onRejected?: (reason: unknown) => unknown) => {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          // A query not yet sent must never run after the caller was told 503, but cancel() is
          // not safe for it: postgres.js 3.4 may already have handed it to a connection that is
          // still connecting, and a cancelled query there leaves that connection waiting forever
          // (the readiness probe's only connection stayed dead after every outage). So it is
          // emptied: if it is ever sent, it does nothing. One already sent is left to
          // statement_timeout: cancelling it opens a cancel connection, which postgres.js builds
          // with the shared message buffer that the busy connection may be writing (seen as
          // corrupt messages under load).
          if (!(query as { state?: unknown }).state) {
            Object.assign(query, { strings: ["select 1"], args: [], options: { prepare: false } });
          }
          reject(new DatabaseDeadlineError(`The database did not answer within ${ms} ms`));
        }, ms);
      });
      return Promise.race([run(), deadline])
        .finally(() => clearTimeout(timer))
        .then(onFulfilled, onRejected);
    },
  });
  return query;
}

/**
 * Drizzle runs every query through `sql.unsafe(text, params, { prepare: false })`, and postgres.js
 * then sends an unnamed Parse/Describe and waits for the answer before it can Bind/Execute: two
 * round trips, and a fresh parse and plan, per query. With `prepare: true` each connection keeps a
 * named statement per distinct SQL text (the query builders produce a small, bounded set), so a
 * repeat costs one round trip. Transactions and savepoints hand out their own `sql`, wrapped too.
 * (Behind PgBouncer in transaction mode this needs PgBouncer ≥ 1.21 with max_prepared_statements.)
 */
function withPreparedStatements(sql: postgres.Sql, deadlineMs: () => number | null): postgres.Sql {
  const unsafe = sql.unsafe;
  const begin = sql.begin as (...args: unknown[]) => Promise<unknown>;
  const savepoint = (sql as unknown as { savepoint?: (...args: unknown[]) => Promise<unknown> }).savepoint;
  const wrapScope =
    (open: (...args: unknown[]) => Promise<unknown>, waitsForConnection: boolean) =>
    (...args: unknown[]) => {
      const body = args.pop() as (scoped: postgres.Sql) => unknown;
      let started = false;
      const scope = open(...args, (scoped: postgres.Sql) => {
        started = true;
        return body(withPreparedStatements(scoped, deadlineMs));
      });
      // A transaction may run long, but it must get its connection in time like any query.
      const ms = deadlineMs();
      if (!waitsForConnection || ms === null) return scope;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          if (!started) reject(new DatabaseDeadlineError(`No database connection within ${ms} ms`));
        }, ms);
      });
      return Promise.race([scope, deadline]).finally(() => clearTimeout(timer));
    };
  return Object.assign(sql, {
    unsafe: (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) => {
      const pending = unsafe(query, params, { ...options, prepare: true });
      const ms = deadlineMs();
      return ms === null ? pending : withDeadline(pending, ms);
    },
    begin: wrapScope(begin, true),
    ...(savepoint && { savepoint: wrapScope(savepoint, false) }),
  });
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const queryDeadlineMs = options.queryDeadlineMs ?? QUERY_DEADLINE_MS;
    let deadlinesOn = true;
    const client = postgres(options.url, {
      max: options.poolSize ?? 10,
      onnotice: () => {},
      connect_timeout: CONNECT_TIMEOUT_S,
      backoff: reconnectDelay,
      connection: { statement_timeout: queryDeadlineMs },
    });
    const db = drizzlePostgres({
      client: withPreparedStatements(client, () => (deadlinesOn ? queryDeadlineMs : null)),
      schema,
    }) as unknown as Database;
    // One connection for readiness probes alone, so a probe never waits behind requests.
    const probe = postgres(options.url, {
      max: 1,
      onnotice: () => {},
      connect_timeout: 1,
      backoff: reconnectDelay,
      idle_timeout: 60,
    });
    kinds.set(db, "postgres");
    return {
      db,
      kind: "postgres",
      ping: (timeoutMs) => answersWithin(withDeadline(probe`select 1`, timeoutMs), timeoutMs),
      async withoutDeadline(work) {
        deadlinesOn = false;
        try {
          return await work();
        } finally {
          deadlinesOn = true;
        }
      },
      close: async () => {
        await Promise.all([client.end({ timeout: 5 }), probe.end({ timeout: 1 })]);
      },
    };
  }
  let dataDir: string | undefined;
  let releaseLock = () => {};
  if (options.dataDir) {
    dataDir = join(options.dataDir, "pgdata");
    mkdirSync(dataDir, { recursive: true });
    releaseLock = lockDataDir(options.dataDir);
  }
  try {
    // Loaded only when used: a server on PostgreSQL never needs the embedded database's code.
    const [pglite, { drizzle: drizzlePglite }] = await Promise.all([
      import("@electric-sql/pglite"),
      import("drizzle-orm/pglite"),
    ]);
    const startParams = embeddedStartParams(pglite.PGlite.defaultStartParams);
    const client: PGlite = await pglite.PGlite.create(dataDir ? { dataDir, startParams } : { startParams });
    const fence = fenceOnLostWal(client, options.dataDir, options.onFailure);
    const db = drizzlePglite({ client: withPreparedPgliteStatements(client, pglite), schema }) as unknown as Database;
    kinds.set(db, "pglite");
    return {
      db,
      kind: "pglite",
      withoutDeadline: (work) => work(),
      ping: (timeoutMs) => answersWithin(client.query("select 1"), timeoutMs),
      async close() {
        // A fenced client is left alone, lock file included: closing it would checkpoint, which is
        // what hangs it, and its files cannot change. The next start takes the stale lock over.
        if (fence.failure) return;
        await client.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

/** Where a DATABASE_URL points, for messages: host and port, never the user or password. */
export function describePostgres(url: string): string {
  try {
    const parsed = new URL(url);
    return `PostgreSQL at ${parsed.hostname || "localhost"}:${parsed.port || 5432} (DATABASE_URL)`;
  } catch {
    return "PostgreSQL (DATABASE_URL, which is not a valid URL)";
  }
}

/**
 * Start-up with the database down (a host reboot brings both up at once): tries every second
 * until PostgreSQL answers, telling `onWait` each time, and throws naming DATABASE_URL once
 * `timeoutMs` have passed.
 */
export async function waitForPostgres(
  url: string,
  { timeoutMs, onWait }: { timeoutMs: number; onWait(message: string): void },
): Promise<void> {
  const started = performance.now();
  const where = describePostgres(url);
  for (let attempt = 1; ; attempt++) {
    const probe = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 2 });
    try {
      await probe`select 1`;
      return;
    } catch (error) {
      const reason = (error as { code?: string }).code ?? (error as Error).message;
      const waited = performance.now() - started;
      if (waited >= timeoutMs) {
        throw new Error(
          `${where} did not answer within ${Math.round(waited / 1000)} s (${reason}); check DATABASE_URL`,
        );
      }
      onWait(`waiting for ${where} … (${reason}, attempt ${attempt})`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    } finally {
      await probe.end({ timeout: 1 }).catch(() => {});
    }
  }
}

/** True when `query` succeeds within `timeoutMs`; false when it fails or is late. */
async function answersWithin(query: PromiseLike<unknown>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const answered = Promise.resolve(query).then(
    () => true,
    () => false,
  );
  return Promise.race([answered, late]).finally(() => clearTimeout(timer));
}

/**
 * PostgreSQL that cannot write its WAL (a DATA_DIR gone read-only: a disk error, a remount) would
 * PANIC and restart; PGlite instead answers that statement with an error and then spins in its
 * WebAssembly loop on the next message, blocking the event loop for good (PGlite 0.5, seen on an
 * ext4 gone read-only). So the first such failure fences the client off: every later message fails
 * at once as "read-only file system" (503, decision 017) without reaching PGlite, /readyz says
 * 503, and the log says what to do once. What was acknowledged is in the WAL on disk already;
 * restarting on a writable DATA_DIR recovers it.
 */
function fenceOnLostWal(client: PGlite, dataDir: string | undefined, onFailure?: (message: string) => void) {
  const fence: { failure: Error | null } = { failure: null };
  const execProtocol = client.execProtocol.bind(client);
  const execProtocolRawSync = client.execProtocolRawSync.bind(client);
  // Every protocol message, PGlite's own ROLLBACK and CHECKPOINT included, goes through this.
  client.execProtocolRawSync = (message) => {
    if (fence.failure) throw fence.failure;
    return execProtocolRawSync(message);
  };
  client.execProtocol = async (message, execOptions) => {
    try {
      return await execProtocol(message, execOptions);
    } catch (error) {
      const text = String((error as Error).message);
      if (!fence.failure && /read-only file system|could not (write|fsync) .*log file/i.test(text)) {
        fence.failure = Object.assign(new Error(`the embedded database cannot write: ${text}`), { code: "EROFS" });
        onFailure?.(
          `The embedded database in ${dataDir ?? "memory"} can no longer write (${text}). Every request is answered 503 ` +
            "until Taskvault is restarted with a writable DATA_DIR; what was acknowledged is kept.",
        );
      }
      throw error;
    }
  };
  return fence;
}

export class DatabaseInUseError extends Error {}

/**
 * PGlite is one process's database: a second process opening the same files would corrupt them.
 * A pid file guards DATA_DIR; a stale one (its process gone) is taken over.
 */
function lockDataDir(dir: string): () => void {
  try {
    return takeDataDirLock(join(dir, "pgdata.lock"), dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EROFS" || code === "EACCES" || code === "EPERM") {
      throw new Error(
        `DATA_DIR ${dir} is not writable (${code}): fix its mount or permissions, or point DATA_DIR elsewhere`,
      );
    }
    throw error;
  }
}

function takeDataDirLock(file: string, dir: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: "wx" });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(file, "utf8"));
      if (isAlive(owner) && owner !== process.pid) {
        throw new DatabaseInUseError(
          `The embedded database in ${dir} is in use by process ${owner}; stop it first (or use DATABASE_URL for several processes)`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new DatabaseInUseError(`Could not lock the embedded database in ${dir}`);
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
