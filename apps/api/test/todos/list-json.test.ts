import type { Session } from "@taskvault/contract/auth";
import type { Todo } from "@taskvault/contract/todos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todoInserts } from "../../src/todos/create-todo.ts";
import { as, buildTestApp, onPostgres, signUp, type TestApp } from "../helpers/app.ts";

// The list's todos are JSON written by the embedded database (TODO_AS_JSON in todos/todo-statements.ts)
// or, on PostgreSQL, by the API from the rows (decision 018); every other answer's by toTodo and the
// response serializer (a create's and its replay's too): they must agree on every kind of value.

let t: TestApp;
let session: Session;
let api: ReturnType<typeof as>;
beforeAll(async () => {
  t = await buildTestApp();
  session = await signUp(t.app);
  api = as(t.app, session);
});
afterAll(() => t?.close());

const TRICKY = {
  title: 'Quotes " and \\ backslashes, ünïcödé, 😀, and a line separator \u2028',
  description: "Tabs\tnew lines\ncarriage returns\r, a bell \u0007 and an escape \u001b",
  tags: ['say "hi"', "back\\slash", "ß"],
  priority: "high",
  dueAt: "0001-01-01T00:00:00Z",
  remindAt: "9999-12-31T23:59:59.999Z",
  position: 0.1 + 0.2,
  recurrence: "FREQ=WEEKLY;BYDAY=MO",
  recurFrom: "completion",
  timezone: "Asia/Kolkata",
};

async function create(payload: object): Promise<Todo> {
  const response = await api({ method: "POST", url: "/api/v1/todos", payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

/** Creates of every kind of value, in a list of their own and under a parent (both made here). */
async function createPayloads(name: string): Promise<object[]> {
  const list = await api({ method: "POST", url: "/api/v1/lists", payload: { name } });
  expect(list.statusCode, list.body).toBe(201);
  const parent = await create({ title: `Parent in ${name}` });
  return [
    TRICKY,
    { ...TRICKY, listId: list.json().id, completed: true },
    { title: "Plain" },
    { title: "Offset", dueAt: "2030-06-01T12:00:00.5+05:30", position: -1.5, parentId: parent.id },
  ];
}

describe("the list's JSON", () => {
  it("writes every todo exactly as GET /todos/{id} does, field for field and in the same order", async () => {
    const list = await api({ method: "POST", url: "/api/v1/lists", payload: { name: "Errands" } });
    expect(list.statusCode, list.body).toBe(201);
    const parent = await create({ title: "Parent" });
    await create({ ...TRICKY, listId: list.json().id });
    await create({ title: "Offset and milliseconds", dueAt: "2030-06-01T12:00:00.5+05:30", position: -1.5 });
    await create({ title: "Huge position", position: 1e20, priority: "low" });
    await create({ title: "Tiny position", position: 1e-7, priority: "medium" });
    await create({ title: "Done", completed: true, tags: [] });
    await create({ title: "Subtask", parentId: parent.id });

    const page = await api({ method: "GET", url: "/api/v1/todos?limit=200" });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toBe("application/json; charset=utf-8");
    const { items, nextCursor } = page.json() as { items: Todo[]; nextCursor: string | null };
    expect(items).toHaveLength(7);
    expect(nextCursor).toBeNull();
    for (const item of items) {
      const one = await api({ method: "GET", url: `/api/v1/todos/${item.id}` });
      expect(JSON.stringify(item)).toBe(JSON.stringify(one.json()));
    }
    // Also byte for byte: the database's JSON for a todo is what the serializer writes.
    const single = await api({ method: "GET", url: `/api/v1/todos/${parent.id}` });
    expect(page.body).toContain(single.body);
  });

  it("answers a create with the bytes GET /todos/{id} answers, with an Idempotency-Key and without", async () => {
    const payloads = await createPayloads("Bytes");
    for (const [index, payload] of payloads.entries()) {
      for (const headers of [{}, { "idempotency-key": `bytes-${index}` }]) {
        const created = await api({ method: "POST", url: "/api/v1/todos", payload, headers });
        expect(created.statusCode, created.body).toBe(201);
        expect(created.headers["content-type"]).toBe("application/json; charset=utf-8");
        const { id, version } = created.json() as Todo;
        expect(created.headers.location).toBe(`/api/v1/todos/${id}`);
        expect(created.headers.etag).toBe(`"${version}"`);
        const read = await api({ method: "GET", url: `/api/v1/todos/${id}` });
        expect(created.body).toBe(read.body);
        if ("idempotency-key" in headers) {
          const replayed = await api({ method: "POST", url: "/api/v1/todos", payload, headers });
          expect(replayed.statusCode).toBe(201);
          expect(replayed.body).toBe(read.body);
        }
      }
    }
  });

  it("answers creates sent at once, written together, with the bytes GET /todos/{id} answers", async () => {
    const payloads = [
      ...(await createPayloads("Together")),
      { title: "Huge position", position: 1e20, priority: "low" },
      { title: "Tiny position", position: 1e-7, tags: [] },
    ].flatMap((payload) => [payload, payload, payload]);
    const inserts = todoInserts(t.app.db);
    const before = { ...inserts.sent };
    const created = await Promise.all(
      payloads.map((payload) => api({ method: "POST", url: "/api/v1/todos", payload })),
    );
    expect(inserts.sent.items - before.items).toBe(payloads.length);
    // The embedded database answers each statement before the next request reaches it: no batches form.
    if (onPostgres) expect(inserts.sent.statements - before.statements).toBeLessThan(payloads.length);
    for (const response of created) {
      expect(response.statusCode, response.body).toBe(201);
      const read = await api({ method: "GET", url: `/api/v1/todos/${(response.json() as Todo).id}` });
      expect(response.body).toBe(read.body);
    }
  });

  it("answers an empty page as an empty list with no cursor", async () => {
    const other = as(t.app, await signUp(t.app));
    const page = await other({ method: "GET", url: "/api/v1/todos?status=completed" });
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe('{"items":[],"nextCursor":null}');
  });

  it("gives a cursor that leads to the next page, for filtered pages too", async () => {
    const other = as(t.app, await signUp(t.app));
    for (let i = 0; i < 5; i++) {
      const response = await other({ method: "POST", url: "/api/v1/todos", payload: { title: `t${i}`, tags: ["x"] } });
      expect(response.statusCode).toBe(201);
    }
    for (const query of ["", "&tag=x"]) {
      const first = (await other({ method: "GET", url: `/api/v1/todos?limit=3${query}` })).json();
      expect(first.items.map((todo: Todo) => todo.title)).toEqual(["t0", "t1", "t2"]);
      const second = (
        await other({ method: "GET", url: `/api/v1/todos?limit=3${query}&cursor=${first.nextCursor}` })
      ).json();
      expect(second.items.map((todo: Todo) => todo.title)).toEqual(["t3", "t4"]);
      expect(second.nextCursor).toBeNull();
    }
  });
});
