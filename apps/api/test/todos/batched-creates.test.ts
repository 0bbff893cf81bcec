import { randomUUID } from "node:crypto";
import type { Session } from "@taskvault/contract/auth";
import type { Change } from "@taskvault/contract/changes";
import type { Todo } from "@taskvault/contract/todos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTodo, todoInserts } from "../../src/todos/create-todo.ts";
import { as, buildTestApp, onPostgres, signUp, type TestApp, walkTodos } from "../helpers/app.ts";

// Creates outside a transaction are written in batches while the database is busy (decision 027):
// what each caller sees must be what it would see alone.

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t?.close());

const post = (session: Session, payload: object) =>
  as(t.app, session)({ method: "POST", url: "/api/v1/todos", payload });

describe("creates sent at once", () => {
  it("give each user's new todos the positions after their own, in the order of their ids, each in the change log", async () => {
    const users = await Promise.all(Array.from({ length: 8 }, () => signUp(t.app)));
    for (const user of users) expect((await post(user, { title: "Already there", position: 10 })).statusCode).toBe(201);
    const inserts = todoInserts(t.app.db);
    const before = { ...inserts.sent };

    const created = await Promise.all(
      Array.from({ length: 5 }, (_, round) =>
        users.map((user, index) => post(user, { title: `u${index} #${round}` })),
      ).flat(),
    );
    expect(created.map((response) => response.statusCode)).toEqual(created.map(() => 201));
    // The embedded database answers each statement before the next request reaches it: no batches form.
    if (onPostgres) expect(inserts.sent.statements - before.statements).toBeLessThan(created.length);

    for (const [index, user] of users.entries()) {
      const api = as(t.app, user);
      const todos = await walkTodos(api, "sort=position");
      expect(todos.map((todo) => todo.position)).toEqual([10, 11, 12, 13, 14, 15]);
      const mine = todos.slice(1);
      expect(mine.every((todo) => todo.title.startsWith(`u${index} #`) && todo.createdBy === todos[0]!.createdBy)).toBe(
        true,
      );
      expect(mine.map((todo) => todo.id)).toEqual(mine.map((todo) => todo.id).sort());
      const log = (await api({ method: "GET", url: "/api/v1/changes?since=0" })).json() as { changes: Change[] };
      const upserted = log.changes.filter((change) => change.type === "todo.upserted").map((change) => change.data);
      expect(upserted).toEqual(todos.map((todo: Todo) => todo));
    }
  });

  it("fail only for the todo the database refuses; the others of its batch are written", async () => {
    const owner = await signUp(t.app);
    const ownerId = (await as(t.app, owner)({ method: "GET", url: "/api/v1/me" })).json().id as string;
    const nobody = randomUUID();
    const inserts = todoInserts(t.app.db);
    const before = { ...inserts.sent };

    const targets = [...Array.from({ length: 6 }, () => ownerId), nobody, ownerId];
    const results = await Promise.allSettled(
      targets.map((userId, index) =>
        createTodo(t.app.db, { callerId: userId, ownerId: userId }, { title: `Batch member ${index}` }),
      ),
    );

    expect(results.map((result) => result.status)).toEqual(
      targets.map((userId) => (userId === nobody ? "rejected" : "fulfilled")),
    );
    // The refused todo was in a batch, whose todos were then written one by one.
    expect(inserts.sent.items - before.items).toBeGreaterThan(targets.length);
    const titles = (await walkTodos(as(t.app, owner), "sort=position")).map((todo) => todo.title);
    expect(titles).toEqual([
      "Batch member 0",
      "Batch member 1",
      "Batch member 2",
      "Batch member 3",
      "Batch member 4",
      "Batch member 5",
      "Batch member 7",
    ]);
  });
});
