import { randomUUID } from "node:crypto";
import type { Session } from "@taskvault/contract/auth";
import type { Change } from "@taskvault/contract/changes";
import type { Todo } from "@taskvault/contract/todos";
import { uuidv7 } from "uuidv7";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTodo, todoInserts } from "../../src/todos/create-todo.ts";
import { insertTodos, type NewTodo } from "../../src/todos/todo-statements.ts";
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

const meOf = async (session: Session) =>
  (await as(t.app, session)({ method: "GET", url: "/api/v1/me" })).json() as { id: string };

const newTodo = (userId: string, title: string, position: number | null = null): NewTodo => ({
  userId,
  id: uuidv7(),
  createdBy: userId,
  assigneeId: null,
  reminderBy: null,
  title,
  description: "",
  completed: false,
  completedAt: null,
  dueAt: null,
  priority: 0,
  tags: [],
  position,
  now: new Date(),
  listId: null,
  parentId: null,
  recurrence: null,
  recurFrom: "due",
  remindAt: null,
  timezone: null,
});

describe("creates sent at once", () => {
  it("give each user's new todos places after their own, each todo its owner's and in their change log", async () => {
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

    const byId = (a: Todo, b: Todo) => a.id.localeCompare(b.id);
    for (const [index, user] of users.entries()) {
      const api = as(t.app, user);
      const { id: userId } = await meOf(user);
      const todos = await walkTodos(api, "sort=position");
      const mine = todos.filter((todo) => todo.title !== "Already there");
      expect(mine.map((todo) => todo.title).sort()).toEqual([0, 1, 2, 3, 4].map((round) => `u${index} #${round}`));
      // Creates in two statements under way at once may share a place, as two alone always could.
      for (const todo of mine) {
        expect(todo.position).toBeGreaterThan(10);
        expect(todo.position).toBeLessThanOrEqual(15);
        expect(todo.createdBy).toBe(userId);
      }
      const log = (await api({ method: "GET", url: "/api/v1/changes?since=0" })).json() as { changes: Change[] };
      const upserted = log.changes.filter((change) => change.type === "todo.upserted").map((change) => change.data);
      expect((upserted as Todo[]).sort(byId)).toEqual(todos.sort(byId));
    }
  });

  it("places one statement's unplaced todos of a user after the user's highest, in the order of their ids", async () => {
    const [first, second] = await Promise.all([signUp(t.app), signUp(t.app)]);
    expect((await post(first!, { title: "Highest", position: 10 })).statusCode).toBe(201);
    const timezone = "Asia/Kolkata";
    const zoned = await as(t.app, first!)({ method: "PATCH", url: "/api/v1/me", payload: { timezone } });
    expect(zoned.statusCode, zoned.body).toBe(200);
    const [{ id: firstId }, { id: secondId }] = await Promise.all([meOf(first!), meOf(second!)]);
    const rows = [
      newTodo(firstId, "a"),
      newTodo(secondId, "other's"),
      newTodo(firstId, "placed", 3),
      newTodo(firstId, "b"),
      newTodo(firstId, "c"),
    ];
    const written = await insertTodos(t.app.db).execute({ rows: JSON.stringify(rows) });
    const placed = Object.fromEntries(written.map((row) => [row.title, [row.position, row.timezone]]));
    expect(placed).toEqual({
      a: [11, timezone],
      "other's": [1, "UTC"],
      placed: [3, timezone],
      b: [12, timezone],
      c: [13, timezone],
    });
  });

  it("fail only for the todo the database refuses; the others of its batch are written", async () => {
    const owner = await signUp(t.app);
    const { id: ownerId } = await meOf(owner);
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
    const titles = (await walkTodos(as(t.app, owner), "")).map((todo) => todo.title);
    expect(titles.sort()).toEqual([0, 1, 2, 3, 4, 5, 7].map((index) => `Batch member ${index}`));
  });
});
