import { is } from "drizzle-orm";
import { PgTransaction } from "drizzle-orm/pg-core";
import type { Database, Executor } from "./client.ts";

interface Preparable<Q> {
  prepare(name: string): Q;
}

/**
 * Queries that drizzle builds once per database and key and keeps prepared, for the hot paths:
 * building the SQL text from the query builder on every request was a large share of a list or
 * create request's CPU (figures: decision 015). `build` must give the same SQL for the same key, so
 * it binds every value to a placeholder, filled by `execute(values)`. In a transaction, or beyond
 * `maxKeys` keys (a key per shape of request must not grow without bound), the query is built for
 * the call, with the same SQL.
 */
export function preparedQueries(name: string, { maxKeys = 64 } = {}) {
  const byDatabase = new WeakMap<Database, Map<string, unknown>>();
  return <Q>(db: Executor, key: string, build: () => Preparable<Q>): Q => {
    const statementName = `${name}_${key.replace(/\W/g, "_")}`;
    if (is(db, PgTransaction)) return build().prepare(statementName);
    let queries = byDatabase.get(db as Database);
    if (!queries) {
      queries = new Map();
      byDatabase.set(db as Database, queries);
    }
    let query = queries.get(key) as Q | undefined;
    if (!query) {
      query = build().prepare(statementName);
      if (queries.size < maxKeys) queries.set(key, query);
    }
    return query;
  };
}
