import type { Change, ChangePage } from "@taskvault/contract/changes";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compactChanges } from "../../src/changes/changes.ts";
import { rowsOf } from "../../src/db/rows.ts";
import { as, buildTestApp, PASSWORD, signUp, type TestApp } from "../helpers/app.ts";

// The change log through GET /api/v1/changes: every write path appends entries, seqs are dense
// and ordered even under concurrent writers, replaying the log rebuilds the user's data, and a
// position the log no longer reaches is 410.

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t?.close());

type Call = ReturnType<typeof as>;

async function changesSince(call: Call, since: number, limit?: number): Promise<ChangePage> {
  const response = await call({
    method: "GET",
    url: `/api/v1/changes?since=${since}${limit ? `&limit=${limit}` : ""}`,
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** Every change after `since`, following hasMore. */
async function allChanges(call: Call, since = 0): Promise<{ changes: Change[]; seq: number }> {
  const changes: Change[] = [];
  let position = since;
  for (;;) {
    const page = await changesSince(call, position);
    changes.push(...page.changes);
    position = page.seq;
    if (!page.hasMore) return { changes, seq: position };
  }
}

function expectDense(changes: Change[], since: number) {
  expect(changes.map((change) => change.seq)).toEqual(changes.map((_, index) => since + index + 1));
}

/** What a client holds after applying the log: entities by id, per kind. */
function replay(changes: Change[]) {
  const todos = new Map<string, unknown>();
  const lists = new Map<string, unknown>();
  for (const change of changes) {
    if (change.type === "todo.upserted") todos.set(change.id, change.data);
    if (change.type === "todo.deleted") todos.delete(change.id);
    if (change.type === "list.upserted") lists.set(change.id, change.data);
    if (change.type === "list.deleted") lists.delete(change.id);
  }
  return { todos, lists };
}

async function currentState(call: Call) {
  const todos = new Map<string, unknown>();
  let cursor: string | null = null;
  do {
    const response = await call({
      method: "GET",
      url: `/api/v1/todos?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
    });
    const page = response.json();
    for (const todo of page.items) todos.set(todo.id, todo);
    cursor = page.nextCursor;
  } while (cursor);
  const lists = new Map<string, unknown>();
  for (const { todoCount: _t, activeCount: _a, ...list } of (await call({ method: "GET", url: "/api/v1/lists" })).json()
    .items) {
    lists.set(list.id, list);
  }
  return { todos, lists };
}

describe("the change log", () => {
  it("starts empty at seq 0", async () => {
    const call = as(t.app, await signUp(t.app));
    expect(await changesSince(call, 0)).toEqual({ changes: [], seq: 0, hasMore: false });
  });

  it("records every kind of write, with the entity as the API serves it, and tombstones for deletions", async () => {
    const call = as(t.app, await signUp(t.app));
    const list = (await call({ method: "POST", url: "/api/v1/lists", payload: { name: "Home" } })).json();
    const todo = (
      await call({ method: "POST", url: "/api/v1/todos", payload: { title: "Pay rent", listId: list.id } })
    ).json();
    const patched = (
      await call({ method: "PATCH", url: `/api/v1/todos/${todo.id}`, payload: { title: "Pay the rent" } })
    ).json();
    await call({ method: "DELETE", url: `/api/v1/todos/${todo.id}` });

    const { changes, seq } = await allChanges(call);
    expect(changes).toEqual([
      { seq: 1, type: "list.upserted", id: list.id, data: list },
      { seq: 2, type: "todo.upserted", id: todo.id, data: todo },
      { seq: 3, type: "todo.upserted", id: todo.id, data: patched },
      { seq: 4, type: "todo.deleted", id: todo.id, data: null },
    ]);
    expect(seq).toBe(4);
    // Nothing newer: the current seq comes back, with no changes.
    expect(await changesSince(call, 4)).toEqual({ changes: [], seq: 4, hasMore: false });
  });

  it("covers bulk operations, recurring next instances, list deletion, cascades and imports", async () => {
    const session = await signUp(t.app);
    const call = as(t.app, session);
    const before = (await changesSince(call, 0)).seq;
    const list = (await call({ method: "POST", url: "/api/v1/lists", payload: { name: "Chores" } })).json();
    const recurring = (
      await call({
        method: "POST",
        url: "/api/v1/todos",
        payload: { title: "Water plants", recurrence: "FREQ=DAILY", dueAt: "2030-01-01T09:00:00Z" },
      })
    ).json();
    const parent = (
      await call({ method: "POST", url: "/api/v1/todos", payload: { title: "Clean", listId: list.id } })
    ).json();
    await call({ method: "POST", url: "/api/v1/todos", payload: { title: "Kitchen", parentId: parent.id } });
    const completed = await call({
      method: "PATCH",
      url: `/api/v1/todos/${recurring.id}`,
      payload: { completed: true },
    });
    expect(completed.statusCode).toBe(200);
    const next = completed.json().next;
    expect(next).toBeTruthy();
    expect((await call({ method: "POST", url: "/api/v1/todos/complete-all" })).statusCode).toBe(200);
    expect((await call({ method: "DELETE", url: "/api/v1/todos?status=completed" })).statusCode).toBe(200);
    expect((await call({ method: "DELETE", url: `/api/v1/lists/${list.id}?todos=delete` })).statusCode).toBe(204);

    const { changes } = await allChanges(call, before);
    expectDense(changes, before);
    const types = new Set(changes.map((change) => `${change.type}`));
    expect(types).toEqual(new Set(["list.upserted", "list.deleted", "todo.upserted", "todo.deleted"]));
    // The next instance created by completing the recurring todo is in the log.
    expect(changes.some((change) => change.type === "todo.upserted" && change.id === next.id)).toBe(true);
    // The list's deletion is a tombstone.
    expect(changes.filter((change) => change.type === "list.deleted")).toEqual([
      { seq: expect.any(Number), type: "list.deleted", id: list.id, data: null },
    ]);
    expect(replay(await allChanges(call).then((all) => all.changes))).toEqual(await currentState(call));

    // An import, into another account, is logged like any other write.
    const exported = (await call({ method: "GET", url: "/api/v1/export" })).json();
    const other = as(t.app, await signUp(t.app));
    const imported = await other({ method: "POST", url: "/api/v1/import", payload: exported });
    expect(imported.statusCode, imported.body).toBe(200);
    const otherLog = await allChanges(other);
    expectDense(otherLog.changes, 0);
    expect(otherLog.changes.filter((change) => change.type === "todo.upserted").length).toBeGreaterThanOrEqual(
      imported.json().imported,
    );
    expect(replay(otherLog.changes)).toEqual(await currentState(other));
  });

  it("catch-up from any seq equals the replay of the whole log", async () => {
    const call = as(t.app, await signUp(t.app));
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push((await call({ method: "POST", url: "/api/v1/todos", payload: { title: `todo ${i}` } })).json().id);
    }
    for (const id of ids.slice(0, 6)) {
      await call({ method: "PATCH", url: `/api/v1/todos/${id}`, payload: { completed: true } });
    }
    for (const id of ids.slice(3, 5)) await call({ method: "DELETE", url: `/api/v1/todos/${id}` });

    const whole = await allChanges(call);
    const state = await currentState(call);
    expect(replay(whole.changes)).toEqual(state);
    // A client that applied the first k changes and then catches up reaches the same state.
    for (const k of [0, 1, 7, 15, whole.seq - 1, whole.seq]) {
      const head = whole.changes.slice(0, k);
      const rest = await allChanges(call, k);
      expect(replay([...head, ...rest.changes])).toEqual(state);
      expect(rest.seq).toBe(whole.seq);
    }
    // Paging: small limits cover the same entries, with hasMore until the end.
    const paged: Change[] = [];
    let position = 0;
    for (;;) {
      const page = await changesSince(call, position, 5);
      paged.push(...page.changes);
      position = page.seq;
      if (!page.hasMore) break;
      expect(page.changes).toHaveLength(5);
    }
    expect(paged).toEqual(whole.changes);
  });

  it("hands out dense, ordered seqs under concurrent writers, and a concurrent reader never sees a gap", async () => {
    const call = as(t.app, await signUp(t.app));
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      ids.push((await call({ method: "POST", url: "/api/v1/todos", payload: { title: `seed ${i}` } })).json().id);
    }
    const start = (await changesSince(call, 0)).seq;

    let writing = true;
    const seen: Change[] = [];
    const reader = (async () => {
      let position = start;
      while (writing || position < start + 1) {
        const page = await changesSince(call, position);
        // Each page continues exactly where the last one ended.
        expectDense(page.changes, position);
        seen.push(...page.changes);
        position = page.seq;
        if (!writing && !page.hasMore) break;
        // inject() on the embedded database can complete without yielding to the event loop.
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
    })();

    const writes: Promise<{ statusCode: number; body: string }>[] = [];
    for (let round = 0; round < 4; round++) {
      for (const id of ids) {
        writes.push(call({ method: "PATCH", url: `/api/v1/todos/${id}`, payload: { title: `r${round} ${id}` } }));
      }
      writes.push(call({ method: "POST", url: "/api/v1/todos", payload: { title: `new ${round}` } }));
      // Bulk writes lock many rows at once: with single writes in flight they must not deadlock.
      writes.push(call({ method: "POST", url: "/api/v1/todos/complete-all" }));
    }
    const results = await Promise.all(writes);
    for (const result of results) expect(result.statusCode, result.body).toBeLessThan(300);
    writing = false;
    await reader;
    const tail = await allChanges(call, seen.at(-1)?.seq ?? start);
    seen.push(...tail.changes);

    expectDense(seen, start);
    const whole = await allChanges(call, start);
    expect(seen).toEqual(whole.changes);
    // Per todo, the versions in the log only go up with seq: commit order is seq order.
    const versions = new Map<string, number>();
    for (const change of whole.changes) {
      if (change.type !== "todo.upserted") continue;
      expect(change.data.version).toBeGreaterThanOrEqual(versions.get(change.id) ?? 0);
      versions.set(change.id, change.data.version);
    }
    expect(replay((await allChanges(call)).changes)).toEqual(await currentState(call));
  });

  it("keeps users apart", async () => {
    const alice = as(t.app, await signUp(t.app));
    const bob = as(t.app, await signUp(t.app));
    await alice({ method: "POST", url: "/api/v1/todos", payload: { title: "alice's" } });
    await bob({ method: "POST", url: "/api/v1/todos", payload: { title: "bob's" } });
    const [aliceLog, bobLog] = [await allChanges(alice), await allChanges(bob)];
    expect(aliceLog.changes.map((change) => change.seq)).toEqual([1]);
    expect(bobLog.changes.map((change) => change.seq)).toEqual([1]);
    expect(aliceLog.changes[0]!.type === "todo.upserted" && aliceLog.changes[0]!.data.title).toBe("alice's");
    expect(bobLog.changes[0]!.type === "todo.upserted" && bobLog.changes[0]!.data.title).toBe("bob's");
  });

  it("answers 410 gone for a seq it never reached or no longer keeps, 400 for a malformed one", async () => {
    const session = await signUp(t.app);
    const call = as(t.app, session);
    for (let i = 0; i < 5; i++) await call({ method: "POST", url: "/api/v1/todos", payload: { title: `t${i}` } });

    const ahead = await call({ method: "GET", url: "/api/v1/changes?since=6" });
    expect(ahead.statusCode).toBe(410);
    expect(ahead.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(ahead.json()).toMatchObject({ status: 410, code: "gone" });

    for (const bad of ["-1", "abc", "1.5", "1e3"]) {
      const response = await call({ method: "GET", url: `/api/v1/changes?since=${bad}` });
      expect(response.statusCode, bad).toBe(400);
      expect(response.json().code).toBe("invalid_query");
    }
    expect((await call({ method: "GET", url: "/api/v1/changes?limit=0" })).statusCode).toBe(400);
    expect((await t.app.inject({ method: "GET", url: "/api/v1/changes?since=0" })).statusCode).toBe(401);

    // Retention: the first three entries age past the window and are compacted away.
    const userId = session.user.id;
    await t.database.handle.db.execute(
      sql`update changes set created_at = now() - interval '40 days' where user_id = ${userId} and seq <= 3`,
    );
    await compactChanges(t.database.handle.db, 30);
    const left = rowsOf<{ seq: string | number }>(
      await t.database.handle.db.execute(sql`select seq from changes where user_id = ${userId} order by seq`),
    ).map((row) => Number(row.seq));
    expect(left).toEqual([4, 5]);
    for (const since of [0, 2]) {
      const response = await call({ method: "GET", url: `/api/v1/changes?since=${since}` });
      expect(response.statusCode, `since=${since}`).toBe(410);
      expect(response.json().detail).toMatch(/full sync/);
    }
    expect((await changesSince(call, 3)).changes.map((change) => change.seq)).toEqual([4, 5]);
    expect((await changesSince(call, 5)).seq).toBe(5);
  });

  it("goes with the account: deleting it deletes its log", async () => {
    const session = await signUp(t.app);
    const call = as(t.app, session);
    await call({ method: "POST", url: "/api/v1/lists", payload: { name: "Work" } });
    await call({ method: "POST", url: "/api/v1/todos", payload: { title: "Quit" } });
    const deleted = await call({ method: "DELETE", url: "/api/v1/me", payload: { password: PASSWORD } });
    expect(deleted.statusCode).toBe(204);
    const count = async (table: string) =>
      Number(
        rowsOf<{ n: string | number }>(
          await t.database.handle.db.execute(
            sql`select count(*) as n from ${sql.identifier(table)} where user_id = ${session.user.id}`,
          ),
        )[0]!.n,
      );
    expect(await count("changes")).toBe(0);
    expect(await count("change_seqs")).toBe(0);
  });
});
