import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { embeddedStartParams } from "../../embedded-database.mjs";
import { withPreparedStatements as withPreparedPgliteStatements } from "./pglite-statements.ts";
import * as schema from "./schema.ts";

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Either the database or a transaction on it: domain functions accept both. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  kind: "postgres" | "pglite";
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A postgres:// URL; without it an embedded PGlite database is used. */
  url?: string | undefined;
  /** Where PGlite keeps its files; omitted means in memory (tests). */
  dataDir?: string | undefined;
  poolSize?: number;
}

/**
 * Drizzle runs every query through `sql.unsafe(text, params, { prepare: false })`, and postgres.js
 * then sends an unnamed Parse/Describe and waits for the answer before it can Bind/Execute: two
 * round trips, and a fresh parse and plan, per query. With `prepare: true` each connection keeps a
 * named statement per distinct SQL text (the query builders produce a small, bounded set), so a
 * repeat costs one round trip. Transactions and savepoints hand out their own `sql`, wrapped too.
 * (Behind PgBouncer in transaction mode this needs PgBouncer ≥ 1.21 with max_prepared_statements.)
 */
function withPreparedStatements(sql: postgres.Sql): postgres.Sql {
  const unsafe = sql.unsafe;
  const begin = sql.begin as (...args: unknown[]) => Promise<unknown>;
  const savepoint = (sql as unknown as { savepoint?: (...args: unknown[]) => Promise<unknown> }).savepoint;
  const wrapScope =
    (open: (...args: unknown[]) => Promise<unknown>) =>
    (...args: unknown[]) => {
      const body = args.pop() as (scoped: postgres.Sql) => unknown;
      return open(...args, (scoped: postgres.Sql) => body(withPreparedStatements(scoped)));
    };
  return Object.assign(sql, {
    unsafe: (query: string, params?: postgres.ParameterOrJSON<never>[], options?: postgres.UnsafeQueryOptions) =>
      unsafe(query, params, { ...options, prepare: true }),
    begin: wrapScope(begin),
    ...(savepoint && { savepoint: wrapScope(savepoint) }),
  });
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) {
    const client = postgres(options.url, {
      max: options.poolSize ?? 10,
      onnotice: () => {},
    });
    const db = drizzlePostgres({ client: withPreparedStatements(client), schema }) as unknown as Database;
    return {
      db,
      kind: "postgres",
      close: () => client.end({ timeout: 5 }),
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
    const db = drizzlePglite({ client: withPreparedPgliteStatements(client, pglite), schema }) as unknown as Database;
    return {
      db,
      kind: "pglite",
      async close() {
        await client.close();
        releaseLock();
      },
    };
  } catch (error) {
    releaseLock();
    throw error;
  }
}

export class DatabaseInUseError extends Error {}

/**
 * PGlite is one process's database: a second process opening the same files would corrupt them.
 * A pid file guards DATA_DIR; a stale one (its process gone) is taken over.
 */
function lockDataDir(dir: string): () => void {
  const file = join(dir, "pgdata.lock");
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
