import type { Session } from "@taskvault/contract/auth";
import { Todo, type TodoPage } from "@taskvault/contract/todos";
import { eq } from "drizzle-orm";
import type { InjectOptions } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todos } from "../../src/db/schema.ts";
import { as, buildTestApp, listTodos, signUp, type TestApp, walkTodos } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t?.close());

type Api = (options: InjectOptions) => ReturnType<TestApp["app"]["inject"]>;

/** A fresh user, so each test sees only its own todos. */
async function newUser(): Promise<{ session: Session; api: Api }> {
  const session = await signUp(t.app);
  return { session, api: as(t.app, session) as Api };
}

async function create(api: Api, payload: object): Promise<Todo> {
  const response = await api({ method: "POST", url: "/api/v1/todos", payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const titles = (page: TodoPage) => page.items.map((todo) => todo.title);

describe("creating a todo", () => {
  it('answers 201 with the Todo, its Location and ETag "1", and the defaults', async () => {
    const { api } = await newUser();
    const response = await api({ method: "POST", url: "/api/v1/todos", payload: { title: "  Buy milk  " } });
    expect(response.statusCode).toBe(201);
    const todo = Todo.parse(response.json());
    expect(Object.keys(response.json())).toEqual(
      expect.arrayContaining([
        "completed",
        "completedAt",
        "createdAt",
        "description",
        "dueAt",
        "id",
        "position",
        "priority",
        "tags",
        "title",
        "updatedAt",
        "version",
      ]),
    );
    expect(todo).toMatchObject({
      title: "Buy milk",
      description: "",
      completed: false,
      completedAt: null,
      dueAt: null,
      priority: "none",
      tags: [],
      version: 1,
    });
    expect(todo.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(response.headers.location).toBe(`/api/v1/todos/${todo.id}`);
    expect(response.headers.etag).toBe('"1"');
    expect(todo.createdAt).toBe(todo.updatedAt);
  });

  it("puts new todos last", async () => {
    const { api } = await newUser();
    const first = await create(api, { title: "first" });
    const second = await create(api, { title: "second" });
    expect(second.position).toBeGreaterThan(first.position);
    expect(titles(await listTodos(api, ""))).toEqual(["first", "second"]);
  });

  it("accepts every writable field", async () => {
    const { api } = await newUser();
    const todo = await create(api, {
      title: "Pay rent",
      description: "by transfer",
      completed: true,
      dueAt: "2026-12-01T09:00:00+01:00",
      priority: "high",
      tags: ["home", "bills"],
      position: 7.5,
    });
    expect(todo).toMatchObject({
      description: "by transfer",
      completed: true,
      dueAt: "2026-12-01T08:00:00.000Z",
      priority: "high",
      tags: ["home", "bills"],
      position: 7.5,
    });
    expect(todo.completedAt).not.toBeNull();
  });

  it("validates every field with 422 and a field map", async () => {
    const { api } = await newUser();
    const cases: [object, string][] = [
      [{}, "title"],
      [{ title: "" }, "title"],
      [{ title: "   " }, "title"],
      [{ title: "x".repeat(201) }, "title"],
      [{ title: 5 }, "title"],
      [{ title: "ok", description: "x".repeat(5001) }, "description"],
      [{ title: "ok", description: null }, "description"],
      [{ title: "ok", tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, "tags"],
      [{ title: "ok", tags: ["a", "a"] }, "tags"],
      [{ title: "ok", tags: [""] }, "tags.0"],
      [{ title: "ok", tags: ["x".repeat(33)] }, "tags.0"],
      [{ title: "ok", tags: "home" }, "tags"],
      [{ title: "ok", priority: "urgent" }, "priority"],
      [{ title: "ok", dueAt: "tomorrow" }, "dueAt"],
      [{ title: "ok", dueAt: "2026-13-01T00:00:00Z" }, "dueAt"],
      [{ title: "ok", dueAt: 1764547200000 }, "dueAt"],
      [{ title: "ok", dueAt: "0000-01-01T00:00:00Z" }, "dueAt"],
      [{ title: "ok", dueAt: "0001-01-01T00:00:00+01:00" }, "dueAt"],
      [{ title: "ok", dueAt: "9999-12-31T23:59:59-05:00" }, "dueAt"],
      [{ title: "ok", dueAt: "2026-12-01" }, "dueAt"],
      [{ title: "nul\u0000" }, "title"],
      [{ title: "ok", description: "nul\u0000" }, "description"],
      [{ title: "ok", completed: "yes" }, "completed"],
      [{ title: "ok", position: "1" }, "position"],
    ];
    for (const [payload, field] of cases) {
      const response = await api({ method: "POST", url: "/api/v1/todos", payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(422);
      const body = response.json();
      expect(body.code).toBe("validation_failed");
      expect(body.errors[field], `${JSON.stringify(payload)} → ${JSON.stringify(body.errors)}`).toBeDefined();
    }
    expect((await listTodos(api, "")).items).toEqual([]);
  });

  it("accepts the boundaries: 200-character title, 5000-character description, 20 tags of 32", async () => {
    const { api } = await newUser();
    const todo = await create(api, {
      title: `  ${"t".repeat(200)}  `,
      description: "d".repeat(5000),
      tags: Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(32, "x")),
      dueAt: null,
    });
    expect(todo.title).toHaveLength(200);
    expect(todo.tags).toHaveLength(20);
  });

  it("refuses mass assignment: id, version, createdAt, userId, ownerId or any unknown field is 422", async () => {
    const { api, session } = await newUser();
    for (const extra of [
      { id: crypto.randomUUID() },
      { version: 99 },
      { createdAt: new Date().toISOString() },
      { updatedAt: new Date().toISOString() },
      { completedAt: new Date().toISOString() },
      { userId: session.user.id },
      { ownerId: session.user.id },
      { user_id: session.user.id },
      { sneaky: true },
    ]) {
      const response = await api({ method: "POST", url: "/api/v1/todos", payload: { title: "x", ...extra } });
      expect(response.statusCode, JSON.stringify(extra)).toBe(422);
      expect(response.json().code).toBe("validation_failed");
      // The offending field is named, so a client knows what to drop.
      expect(Object.keys(response.json().errors)).toEqual(Object.keys(extra));
    }
    const todo = await create(api, { title: "target" });
    for (const extra of [{ id: crypto.randomUUID() }, { version: 99 }, { userId: crypto.randomUUID() }, { x: 1 }]) {
      for (const method of ["PATCH", "PUT"] as const) {
        const response = await api({ method, url: `/api/v1/todos/${todo.id}`, payload: { title: "x", ...extra } });
        expect(response.statusCode, `${method} ${JSON.stringify(extra)}`).toBe(422);
      }
    }
    expect((await api({ method: "GET", url: `/api/v1/todos/${todo.id}` })).json()).toEqual(todo);
  });
});

describe("reading and changing one todo", () => {
  it("GET answers the todo with its ETag; a missing id is 404", async () => {
    const { api } = await newUser();
    const todo = await create(api, { title: "read me" });
    const response = await api({ method: "GET", url: `/api/v1/todos/${todo.id}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    expect(response.json()).toEqual(todo);
    const missing = await api({ method: "GET", url: `/api/v1/todos/${crypto.randomUUID()}` });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe("not_found");
  });

  it("PATCH changes only the given fields and bumps the version", async () => {
    const { api } = await newUser();
    const todo = await create(api, { title: "patch me", description: "keep", tags: ["a"], priority: "low" });
    const response = await api({ method: "PATCH", url: `/api/v1/todos/${todo.id}`, payload: { title: " renamed " } });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    const patched = response.json() as Todo;
    expect(patched).toMatchObject({ title: "renamed", description: "keep", tags: ["a"], priority: "low", version: 2 });
    expect(patched.position).toBe(todo.position);
    expect(patched.createdAt).toBe(todo.createdAt);
    expect(Date.parse(patched.updatedAt)).toBeGreaterThanOrEqual(Date.parse(todo.updatedAt));

    const done = (await api({ method: "PATCH", url: `/api/v1/todos/${todo.id}`, payload: { completed: true } })).json();
    expect(done).toMatchObject({ completed: true, version: 3 });
    expect(done.completedAt).not.toBeNull();
    const undone = (
      await api({ method: "PATCH", url: `/api/v1/todos/${todo.id}`, payload: { completed: false } })
    ).json();
    expect(undone).toMatchObject({ completed: false, completedAt: null, version: 4 });
    const cleared = (
      await api({ method: "PATCH", url: `/api/v1/todos/${todo.id}`, payload: { dueAt: null, tags: [] } })
    ).json();
    expect(cleared).toMatchObject({ dueAt: null, tags: [], version: 5 });
  });

  it("PATCH with an empty body changes nothing", async () => {
    const { api } = await newUser();
    const todo = await create(api, { title: "same" });
    const response = await api({ method: "PATCH", url: `/api/v1/todos/${todo.id}`, payload: {} });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(todo);
  });

  it("PUT replaces the todo: omitted fields return to their defaults", async () => {
    const { api } = await newUser();
    const todo = await create(api, {
      title: "full",
      description: "text",
      tags: ["a"],
      priority: "high",
      dueAt: "2030-01-01T00:00:00Z",
      completed: true,
    });
    const response = await api({ method: "PUT", url: `/api/v1/todos/${todo.id}`, payload: { title: "replaced" } });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    expect(response.json()).toMatchObject({
      id: todo.id,
      title: "replaced",
      description: "",
      tags: [],
      priority: "none",
      dueAt: null,
      completed: false,
      completedAt: null,
      version: 2,
      createdAt: todo.createdAt,
    });
    expect(
      (await api({ method: "PUT", url: `/api/v1/todos/${todo.id}`, payload: { description: "no title" } })).statusCode,
    ).toBe(422);
    expect(
      (await api({ method: "PUT", url: `/api/v1/todos/${crypto.randomUUID()}`, payload: { title: "x" } })).statusCode,
    ).toBe(404);
  });

  it("a stale If-Match is 412 and changes nothing; the current one works", async () => {
    const { api } = await newUser();
    const todo = await create(api, { title: "v1" });
    const url = `/api/v1/todos/${todo.id}`;
    const v2 = await api({ method: "PATCH", url, payload: { title: "v2" }, headers: { "if-match": '"1"' } });
    expect(v2.statusCode).toBe(200);
    expect(v2.headers.etag).toBe('"2"');

    for (const method of ["PATCH", "PUT"] as const) {
      const stale = await api({ method, url, payload: { title: "lost update" }, headers: { "if-match": '"1"' } });
      expect(stale.statusCode).toBe(412);
      expect(stale.json().code).toBe("precondition_failed");
    }
    const staleDelete = await api({ method: "DELETE", url, headers: { "if-match": '"1"' } });
    expect(staleDelete.statusCode).toBe(412);
    const staleEmptyPatch = await api({ method: "PATCH", url, payload: {}, headers: { "if-match": '"1"' } });
    expect(staleEmptyPatch.statusCode).toBe(412);
    const current = (await api({ method: "GET", url })).json();
    expect(current).toMatchObject({ title: "v2", version: 2 });

    expect(
      (await api({ method: "PUT", url, payload: { title: "v3" }, headers: { "if-match": '"2"' } })).statusCode,
    ).toBe(200);
    expect(
      (await api({ method: "PATCH", url, payload: { title: "v4" }, headers: { "if-match": 'W/"3"' } })).statusCode,
    ).toBe(200);
    expect(
      (await api({ method: "PATCH", url, payload: { title: "v5" }, headers: { "if-match": '"1", "4"' } })).statusCode,
    ).toBe(200);
    expect(
      (await api({ method: "PATCH", url, payload: { title: "v6" }, headers: { "if-match": "*" } })).statusCode,
    ).toBe(200);
    expect(
      (await api({ method: "PATCH", url, payload: { title: "x" }, headers: { "if-match": "garbage" } })).statusCode,
    ).toBe(412);
    expect((await api({ method: "GET", url })).json()).toMatchObject({ title: "v6", version: 6 });
    expect((await api({ method: "DELETE", url, headers: { "if-match": '"6"' } })).statusCode).toBe(204);
    // A missing todo is 404 whatever the If-Match says.
    expect(
      (await api({ method: "PATCH", url, payload: { title: "x" }, headers: { "if-match": '"6"' } })).statusCode,
    ).toBe(404);
  });

  it("DELETE answers 204, then the todo is 404 everywhere", async () => {
    const { api } = await newUser();
    const todo = await create(api, { title: "bye" });
    const url = `/api/v1/todos/${todo.id}`;
    const response = await api({ method: "DELETE", url });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe("");
    for (const method of ["GET", "DELETE"] as const) expect((await api({ method, url })).statusCode).toBe(404);
    expect((await api({ method: "PATCH", url, payload: { title: "x" } })).statusCode).toBe(404);
    expect((await listTodos(api, "")).items).toEqual([]);
  });
});

describe("bulk operations", () => {
  it("complete-all completes every active todo and says how many", async () => {
    const { api } = await newUser();
    await create(api, { title: "a" });
    await create(api, { title: "b" });
    const done = await create(api, { title: "c", completed: true });
    const response = await api({ method: "POST", url: "/api/v1/todos/complete-all" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ updated: 2 });
    const items = (await listTodos(api, "")).items;
    expect(items.every((todo) => todo.completed && todo.completedAt)).toBe(true);
    expect(items.find((todo) => todo.id === done.id)).toEqual(done);
    expect((await api({ method: "POST", url: "/api/v1/todos/complete-all" })).json()).toEqual({ updated: 0 });
  });

  it("DELETE /todos?status=completed deletes the completed ones and says how many", async () => {
    const { api } = await newUser();
    await create(api, { title: "keep" });
    await create(api, { title: "done 1", completed: true });
    await create(api, { title: "done 2", completed: true });
    const response = await api({ method: "DELETE", url: "/api/v1/todos?status=completed" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ deleted: 2 });
    expect(titles(await listTodos(api, ""))).toEqual(["keep"]);
  });

  it("DELETE /todos without status=completed is 400 and deletes nothing", async () => {
    const { api } = await newUser();
    await create(api, { title: "keep", completed: true });
    for (const query of ["", "?status=all", "?status=active", "?status=completed&x=1"]) {
      const response = await api({ method: "DELETE", url: `/api/v1/todos${query}` });
      expect(response.statusCode, query).toBe(400);
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    }
    expect((await listTodos(api, "")).items).toHaveLength(1);
  });
});

describe("idempotent creation", () => {
  it("a repeat with the same Idempotency-Key returns the first response and creates nothing", async () => {
    const { api } = await newUser();
    const send = () =>
      api({
        method: "POST",
        url: "/api/v1/todos",
        payload: { title: "once" },
        headers: { "idempotency-key": "key-1" },
      });
    const first = await send();
    const second = await send();
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    expect(second.headers.location).toBe(first.headers.location);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect((await listTodos(api, "")).items).toHaveLength(1);
  });

  it("concurrent repeats create exactly one todo", async () => {
    const { api } = await newUser();
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        api({
          method: "POST",
          url: "/api/v1/todos",
          payload: { title: "race" },
          headers: { "idempotency-key": "race-key" },
        }),
      ),
    );
    expect(responses.map((response) => response.statusCode)).toEqual(Array(8).fill(201));
    expect(new Set(responses.map((response) => response.json().id)).size).toBe(1);
    expect((await listTodos(api, "")).items).toHaveLength(1);
  });

  it("the same key with a different body is 422 and creates nothing", async () => {
    const { api } = await newUser();
    const headers = { "idempotency-key": "key-2" };
    await api({ method: "POST", url: "/api/v1/todos", payload: { title: "first" }, headers });
    const response = await api({ method: "POST", url: "/api/v1/todos", payload: { title: "second" }, headers });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe("idempotency_key_reused");
    expect(titles(await listTodos(api, ""))).toEqual(["first"]);
  });

  it("keys belong to their user: another user's same key creates their own todo", async () => {
    const a = await newUser();
    const b = await newUser();
    const headers = { "idempotency-key": "shared-key" };
    const first = await a.api({ method: "POST", url: "/api/v1/todos", payload: { title: "same" }, headers });
    const second = await b.api({ method: "POST", url: "/api/v1/todos", payload: { title: "same" }, headers });
    expect(second.statusCode).toBe(201);
    expect(second.json().id).not.toBe(first.json().id);
    expect((await listTodos(b.api, "")).items.map((todo) => todo.id)).toEqual([second.json().id]);
  });

  it("refuses a malformed Idempotency-Key with 400", async () => {
    const { api } = await newUser();
    for (const key of ["", "x".repeat(256), "with space", "tab\tkey"]) {
      const response = await api({
        method: "POST",
        url: "/api/v1/todos",
        payload: { title: "x" },
        headers: { "idempotency-key": key },
      });
      expect(response.statusCode, JSON.stringify(key)).toBe(400);
    }
    expect((await listTodos(api, "")).items).toEqual([]);
  });
});

describe("listing", () => {
  it("filters by status", async () => {
    const { api } = await newUser();
    await create(api, { title: "open" });
    await create(api, { title: "done", completed: true });
    expect(titles(await listTodos(api, "status=all"))).toEqual(["open", "done"]);
    expect(titles(await listTodos(api, ""))).toEqual(["open", "done"]);
    expect(titles(await listTodos(api, "status=active"))).toEqual(["open"]);
    expect(titles(await listTodos(api, "status=completed"))).toEqual(["done"]);
  });

  it("searches title and description, case-insensitively, with % and _ taken literally", async () => {
    const { api } = await newUser();
    await create(api, { title: "Buy MILK" });
    await create(api, { title: "call mum", description: "about the milkman" });
    await create(api, { title: "100% done" });
    await create(api, { title: "1000 done" });
    await create(api, { title: "snake_case" });
    await create(api, { title: "snakeXcase" });
    await create(api, { title: "back\\slash" });
    expect(titles(await listTodos(api, "q=milk"))).toEqual(["Buy MILK", "call mum"]);
    expect(titles(await listTodos(api, `q=${encodeURIComponent("0%")}`))).toEqual(["100% done"]);
    expect(titles(await listTodos(api, `q=${encodeURIComponent("%")}`))).toEqual(["100% done"]);
    expect(titles(await listTodos(api, "q=e_c"))).toEqual(["snake_case"]);
    expect(titles(await listTodos(api, `q=${encodeURIComponent("k\\s")}`))).toEqual(["back\\slash"]);
    expect(titles(await listTodos(api, "q=nothing-like-this"))).toEqual([]);
  });

  it("filters by tag and priority", async () => {
    const { api } = await newUser();
    await create(api, { title: "a", tags: ["home", "urgent"], priority: "high" });
    await create(api, { title: "b", tags: ["work"], priority: "high" });
    await create(api, { title: "c", tags: ["home"], priority: "low" });
    expect(titles(await listTodos(api, "tag=home"))).toEqual(["a", "c"]);
    expect(titles(await listTodos(api, "tag=hom"))).toEqual([]);
    expect(titles(await listTodos(api, "priority=high"))).toEqual(["a", "b"]);
    expect(titles(await listTodos(api, "tag=home&priority=high"))).toEqual(["a"]);
    expect(titles(await listTodos(api, "priority=none"))).toEqual([]);
  });

  it("filters by due date: overdue, today, upcoming, none, in the given time zone", async () => {
    const { api } = await newUser();
    const now = Date.now();
    const hour = 3600_000;
    await create(api, { title: "overdue", dueAt: new Date(now - 48 * hour).toISOString() });
    await create(api, { title: "overdue but done", dueAt: new Date(now - 48 * hour).toISOString(), completed: true });
    await create(api, { title: "upcoming", dueAt: new Date(now + 72 * hour).toISOString() });
    await create(api, { title: "no date" });
    expect(titles(await listTodos(api, "due=overdue"))).toEqual(["overdue"]);
    expect(titles(await listTodos(api, "due=upcoming"))).toEqual(["upcoming"]);
    expect(titles(await listTodos(api, "due=none"))).toEqual(["no date"]);
    expect(titles(await listTodos(api, "due=today"))).toEqual([]);

    // "Today" depends on the zone: find an instant that is today in Tokyo but not in Honolulu.
    const tokyoNow = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(now);
    const honoluluNow = new Intl.DateTimeFormat("en-CA", { timeZone: "Pacific/Honolulu" }).format(now);
    const candidates = Array.from({ length: 48 }, (_, i) => now - 24 * hour + i * hour);
    const inTokyoToday = candidates.find(
      (instant) =>
        new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Tokyo" }).format(instant) === tokyoNow &&
        new Intl.DateTimeFormat("en-CA", { timeZone: "Pacific/Honolulu" }).format(instant) !== honoluluNow,
    )!;
    const today = await create(api, { title: "tokyo today", dueAt: new Date(inTokyoToday).toISOString() });
    expect(titles(await listTodos(api, "due=today&tz=Asia/Tokyo"))).toEqual(["tokyo today"]);
    expect(titles(await listTodos(api, "due=today&tz=Pacific/Honolulu"))).not.toContain("tokyo today");
    expect(today.title).toBe("tokyo today");
    expect((await api({ method: "GET", url: "/api/v1/todos?due=today&tz=Mars/Olympus" })).statusCode).toBe(400);
    expect((await api({ method: "GET", url: "/api/v1/todos?due=someday" })).statusCode).toBe(400);
  });

  it("sorts by every key", async () => {
    const { api } = await newUser();
    const c = await create(api, { title: "charlie", priority: "low", dueAt: "2030-01-03T00:00:00Z" });
    const a = await create(api, { title: "Alpha", priority: "high" });
    const b = await create(api, { title: "bravo", priority: "medium", dueAt: "2030-01-01T00:00:00Z" });
    const d = await create(api, { title: "delta", priority: "high", dueAt: "2030-01-02T00:00:00Z", position: 0.5 });
    const ids = (page: TodoPage) => page.items.map((todo) => todo.id);
    expect(ids(await listTodos(api, "sort=position"))).toEqual([d.id, c.id, a.id, b.id]);
    expect(ids(await listTodos(api, "sort=created"))).toEqual([c.id, a.id, b.id, d.id]);
    expect(ids(await listTodos(api, "sort=-created"))).toEqual([d.id, b.id, a.id, c.id]);
    expect(ids(await listTodos(api, "sort=due"))).toEqual([b.id, d.id, c.id, a.id]);
    expect(ids(await listTodos(api, "sort=priority"))).toEqual([d.id, a.id, b.id, c.id]);
    expect(ids(await listTodos(api, "sort=title"))).toEqual([a.id, b.id, c.id, d.id]);
    expect((await api({ method: "GET", url: "/api/v1/todos?sort=random" })).statusCode).toBe(400);
  });

  it("limits pages to 1–200 (default 50) and refuses anything else with 400", async () => {
    const { api } = await newUser();
    for (let i = 0; i < 3; i++) await create(api, { title: `t${i}` });
    expect((await listTodos(api, "limit=1")).items).toHaveLength(1);
    expect((await listTodos(api, "limit=200")).items).toHaveLength(3);
    for (const limit of ["0", "201", "abc", "-1", "1.5", ""]) {
      const response = await api({ method: "GET", url: `/api/v1/todos?limit=${limit}` });
      expect(response.statusCode, limit).toBe(400);
      expect(response.json().code).toBe("invalid_query");
    }
    expect((await api({ method: "GET", url: "/api/v1/todos?unknown=1" })).statusCode).toBe(400);
    expect((await api({ method: "GET", url: "/api/v1/todos?status=done" })).statusCode).toBe(400);
  });

  it("defaults to 50 per page", async () => {
    const { api, session } = await newUser();
    const now = new Date();
    await t.database.handle.db.insert(todos).values(
      Array.from({ length: 55 }, (_, i) => ({
        userId: session.user.id,
        id: crypto.randomUUID(),
        title: `bulk ${i}`,
        position: i,
        createdAt: now,
        updatedAt: now,
      })),
    );
    const page = await listTodos(api, "");
    expect(page.items).toHaveLength(50);
    expect(page.nextCursor).toEqual(expect.any(String));
    const rest = await listTodos(api, `cursor=${encodeURIComponent(page.nextCursor!)}`);
    expect(rest.items).toHaveLength(5);
    expect(rest.nextCursor).toBeNull();
  });
});

describe("cursor pagination", () => {
  let api: Api;
  let all: Todo[];
  const SORTS = ["position", "created", "-created", "due", "priority", "title"];

  beforeAll(async () => {
    ({ api } = await newUser());
    const priorities = ["none", "low", "medium", "high"];
    // Ties on every sort key (same due date, same priority, same title in another case, same
    // position) so pages must break ties by id.
    for (let i = 0; i < 23; i++) {
      await create(api, {
        title: ["Same", "same", "Äpfel", "äpfel", "ÉCOLE", "école", "zebra", `item ${i % 5}`][i % 8]!,
        priority: priorities[i % 4],
        dueAt: i % 3 === 0 ? null : `2030-01-0${(i % 2) + 1}T00:00:00Z`,
        ...(i % 4 === 0 && { position: 1 }),
      });
    }
    all = (await listTodos(api, "limit=200")).items;
  });

  it.each(SORTS)("walks every item exactly once, in order, with sort=%s", async (sort) => {
    const full = (await listTodos(api, `sort=${sort}&limit=200`)).items.map((todo) => todo.id);
    for (const limit of [1, 4, 7]) {
      const walked = (await walkTodos(api, `sort=${sort}&limit=${limit}`)).map((todo) => todo.id);
      expect(walked).toEqual(full);
    }
    expect(new Set(full)).toEqual(new Set(all.map((todo) => todo.id)));
  });

  it.each(SORTS)("never repeats or skips an unchanged item while the list changes, with sort=%s", async (sort) => {
    const { api: own } = await newUser();
    const priorities = ["none", "low", "medium", "high"];
    for (let i = 0; i < 16; i++) {
      await create(own, {
        title: `item ${String.fromCharCode(97 + ((i * 7) % 16))}`,
        priority: priorities[i % 4],
        dueAt: i % 3 === 0 ? null : `2030-01-${String((i % 5) + 1).padStart(2, "0")}T00:00:00Z`,
      });
    }
    const before = (await listTodos(own, `sort=${sort}&limit=200`)).items;
    const touched = new Set<string>();
    const walked = await walkTodos(own, `sort=${sort}&limit=3`, async (page) => {
      // Elsewhere in the list: delete one, change one, insert two.
      const victims = before.filter((todo) => !touched.has(todo.id));
      if (page >= 4) return;
      const deleted = victims[page % 2 === 0 ? victims.length - 1 : 0]!;
      const changed = victims[page % 2 === 0 ? 0 : victims.length - 1]!;
      touched.add(deleted.id).add(changed.id);
      await own({ method: "DELETE", url: `/api/v1/todos/${deleted.id}` });
      await own({
        method: "PATCH",
        url: `/api/v1/todos/${changed.id}`,
        payload: { title: `changed ${page}`, priority: "high", dueAt: null, position: -page },
      });
      await create(own, { title: `new ${page}`, priority: "medium", dueAt: "2030-01-02T00:00:00Z" });
      await create(own, { title: `AAA new ${page}`, position: -100 - page });
    });
    const walkedIds = walked.map((todo) => todo.id);
    const unchanged = before.filter((todo) => !touched.has(todo.id)).map((todo) => todo.id);
    expect(unchanged.length).toBeGreaterThan(5);
    // A changed item may move past the cursor and show up again; an unchanged one never does.
    for (const id of unchanged) expect(walkedIds.filter((seen) => seen === id)).toHaveLength(1);
    // Unchanged items keep their relative order.
    const order = walkedIds.filter((id) => unchanged.includes(id));
    expect(order).toEqual(unchanged);
  });

  it("pages by title through letters whose lower case JavaScript and PostgreSQL disagree on", async () => {
    const { api: own } = await newUser();
    for (const title of ["İstanbul", "İstanbul", "istanbul", "ISTANBUL", "ß", "SS", "ǅ", "Ω", "ω", "🦊".repeat(200)]) {
      await create(own, { title });
    }
    const full = (await listTodos(own, "sort=title&limit=200")).items.map((todo) => todo.id);
    for (const limit of [1, 3]) {
      expect((await walkTodos(own, `sort=title&limit=${limit}`)).map((todo) => todo.id)).toEqual(full);
    }
  });

  it("refuses a tampered cursor with 400", async () => {
    const page = await listTodos(api, "limit=2");
    const cursor = page.nextCursor!;
    const decoded = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    const tampered = [
      `${cursor}x`,
      cursor.slice(0, -3),
      "not-a-cursor",
      Buffer.from("{}").toString("base64url"),
      Buffer.from(JSON.stringify([decoded[0], "1; drop table todos", decoded[2]])).toString("base64url"),
      Buffer.from(JSON.stringify([decoded[0], decoded[1], "not-a-uuid"])).toString("base64url"),
      Buffer.from(JSON.stringify([decoded[0], decoded[1]])).toString("base64url"),
      "x".repeat(1001),
      "x".repeat(2001),
    ];
    for (const bad of tampered) {
      const response = await api({ method: "GET", url: `/api/v1/todos?limit=2&cursor=${encodeURIComponent(bad)}` });
      expect(response.statusCode, bad).toBe(400);
      expect(response.json().code).toBe("invalid_query");
    }
  });

  it("refuses a cursor from another sort with 400", async () => {
    for (const [from, to] of [
      ["position", "created"],
      ["created", "-created"],
      ["-created", "created"],
      ["due", "title"],
      ["title", "priority"],
      ["priority", "position"],
    ]) {
      const cursor = (await listTodos(api, `sort=${from}&limit=2`)).nextCursor!;
      const response = await api({
        method: "GET",
        url: `/api/v1/todos?sort=${to}&limit=2&cursor=${encodeURIComponent(cursor)}`,
      });
      expect(response.statusCode, `${from} → ${to}`).toBe(400);
    }
  });

  it("the last page has no nextCursor", async () => {
    const page = await listTodos(api, "limit=200");
    expect(page.nextCursor).toBeNull();
    const exact = await listTodos(api, `limit=${page.items.length}`);
    expect(exact.nextCursor).toBeNull();
  });
});

describe("storage", () => {
  it("stores the todo under the token's user", async () => {
    const { api, session } = await newUser();
    const todo = await create(api, { title: "mine" });
    const [row] = await t.database.handle.db.select().from(todos).where(eq(todos.id, todo.id));
    expect(row?.userId).toBe(session.user.id);
  });
});
