import { sql } from "drizzle-orm";
import { integer, pgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { preparedQueries } from "../../src/db/prepared.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/app.ts";

const probe = pgTable("probe", { id: integer("id") });

describe("queries prepared once per database", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await database.handle.db.execute(sql`create table probe (id int)`);
  });
  afterAll(() => database?.drop());

  it("builds a query once per key, for a bounded number of keys, and for each call in a transaction", async () => {
    const { db } = database.handle;
    const queries = preparedQueries("test", { maxKeys: 2 });
    const built: string[] = [];
    const run = (executor: typeof db, key: string) =>
      queries(executor, key, () => {
        built.push(key);
        return executor.select({ n: sql<number>`${sql.placeholder("n")}::int + 1` }).from(probe);
      }).execute({ n: 1 });
    for (const key of ["a", "a", "b", "b", "c", "c"]) await run(db, key);
    expect(built).toEqual(["a", "b", "c", "c"]);
    await db.transaction(async (tx) => {
      await run(tx as unknown as typeof db, "a");
      await run(tx as unknown as typeof db, "a");
    });
    expect(built).toEqual(["a", "b", "c", "c", "a", "a"]);
    // Another database has queries of its own.
    const other = await openDatabase({});
    try {
      await other.db.execute(sql`create table probe (id int)`);
      await run(other.db, "a");
      expect(built.at(-1)).toBe("a");
      expect(built).toHaveLength(7);
    } finally {
      await other.close();
    }
  });
});
