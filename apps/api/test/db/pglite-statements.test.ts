import * as pgliteModule from "@electric-sql/pglite";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_PREPARED_STATEMENTS, withPreparedStatements } from "../../src/db/pglite-statements.ts";
import { onPostgres } from "../helpers/app.ts";

// The statement cache is PGlite's alone: its tests run once, in the PGlite project.
describe.skipIf(onPostgres)("PGlite queries as named prepared statements", () => {
  let client: PGlite;
  let prepared: PGlite;
  const preparedTexts = async () =>
    (await client.query<{ statement: string }>("select statement from pg_prepared_statements")).rows.map(
      (row) => row.statement,
    );

  beforeAll(async () => {
    client = await PGlite.create();
    prepared = withPreparedStatements(client, pgliteModule);
    await client.exec(`create table items (id int primary key, name text not null, tags text[] not null default '{}',
      at timestamptz, data jsonb, done boolean not null default false)`);
  });
  afterAll(() => client?.close());

  it("prepares a statement once and runs its repeats by name", async () => {
    const text = "select $1::int + 1 as n";
    for (let i = 0; i < 3; i++) expect((await prepared.query(text, [i])).rows).toEqual([{ n: i + 1 }]);
    expect((await preparedTexts()).filter((statement) => statement === text)).toHaveLength(1);
  });

  it("answers as PGlite's own query(): rows, array mode, parsers, fields and counts", async () => {
    const insert = "insert into items (id, name, tags, at, data) values ($1, $2, $3, $4, $5) returning *";
    const values = [1, "one", ["a", 'b "quoted"'], new Date("2026-12-02T07:00:00.123Z"), { nested: [1, null] }];
    expect(await prepared.query(insert, values)).toEqual(
      await client.query(insert.replace("$1", "$1 + 100"), [values[0], ...values.slice(1)]).then((result) => ({
        ...result,
        rows: result.rows.map((row) => ({ ...(row as object), id: 1 })),
      })),
    );
    const select = "select id, name, tags, at, data, done, null::text as nothing from items where id = $1";
    for (const options of [undefined, { rowMode: "array" as const }, { parsers: { 1184: (text: string) => text } }]) {
      expect(await prepared.query(select, [1], options)).toEqual(await client.query(select, [1], options));
    }
    const update = "update items set done = true where id > $1";
    expect(await prepared.query(update, [0])).toMatchObject({ affectedRows: 2, rowCount: 2, command: "UPDATE" });
  });

  it("closes the least recently used statements beyond its limit, and prepares them again when needed", async () => {
    const text = (i: number) => `select ${i} as n, $1::text as label`;
    for (let i = 0; i < MAX_PREPARED_STATEMENTS + 10; i++) await prepared.query(text(i), ["x"]);
    // The evicted statements are closed with the next statement prepared.
    await prepared.query("select 'one more' as n", []);
    expect((await preparedTexts()).length).toBeLessThanOrEqual(MAX_PREPARED_STATEMENTS);
    expect((await preparedTexts()).includes(text(0))).toBe(false);
    expect((await prepared.query(text(0), ["again"])).rows).toEqual([{ n: 0, label: "again" }]);
  });

  it("prepares again a statement the database dropped (DEALLOCATE ALL)", async () => {
    const text = "select count(*)::int as n from items where id >= $1";
    expect((await prepared.query(text, [0])).rows).toEqual([{ n: 2 }]);
    await client.exec("deallocate all");
    expect((await prepared.query(text, [0])).rows).toEqual([{ n: 2 }]);
  });

  it("throws the database's error with its code, and goes on working", async () => {
    const duplicate = prepared.query("insert into items (id, name) values ($1, $2)", [1, "again"]);
    await expect(duplicate).rejects.toMatchObject({ code: "23505", constraint: "items_pkey" });
    await expect(prepared.query("select nonsense from", [])).rejects.toMatchObject({ code: "42601" });
    await expect(prepared.query("select $1::int as n", ["not a number"])).rejects.toMatchObject({ code: "22P02" });
    expect((await prepared.query("select $1::int as n", [7])).rows).toEqual([{ n: 7 }]);
  });

  it("keeps a query outside a transaction waiting until the transaction ends", async () => {
    const order: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = prepared.transaction(async (tx) => {
      await tx.query("insert into items (id, name) values ($1, $2)", [3, "three"]);
      order.push("inserted");
      await held;
      order.push("committing");
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const outside = prepared.query<{ n: number }>("select count(*)::int as n from items", []).then((result) => {
      order.push("counted");
      return result.rows[0]?.n;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await transaction;
    expect(await outside).toBe(3);
    expect(order).toEqual(["inserted", "committing", "counted"]);
  });

  it("rolls a failed transaction back", async () => {
    const failing = prepared.transaction(async (tx) => {
      await tx.query("insert into items (id, name) values ($1, $2)", [4, "four"]);
      await tx.query("insert into items (id, name) values ($1, $2)", [1, "duplicate"]);
    });
    await expect(failing).rejects.toMatchObject({ code: "23505" });
    expect((await prepared.query("select count(*)::int as n from items where id = $1", [4])).rows).toEqual([{ n: 0 }]);
  });

  it("delivers notifications sent by its statements", async () => {
    const received: string[] = [];
    const unlisten = await client.listen("items_changed", (payload) => received.push(payload));
    await prepared.query("select pg_notify('items_changed', $1)", ["from a prepared statement"]);
    await prepared.transaction((tx) => tx.query("select pg_notify('items_changed', $1)", ["at commit"]));
    await unlisten();
    expect(received).toEqual(["from a prepared statement", "at commit"]);
  });
});
