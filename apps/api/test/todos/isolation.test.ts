import type { Session } from "@taskvault/contract/auth";
import type { Todo } from "@taskvault/contract/todos";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todos } from "../../src/db/schema.ts";
import { as, buildTestApp, signUp, type TestApp } from "../helpers/app.ts";

let t: TestApp;
let alice: Session;
let bob: Session;
let aliceTodos: Todo[];
beforeAll(async () => {
  t = await buildTestApp();
  alice = await signUp(t.app);
  bob = await signUp(t.app);
  aliceTodos = [];
  for (const payload of [
    {
      title: "alice secret milk",
      description: "private",
      tags: ["shared-tag"],
      priority: "high",
      dueAt: "2000-01-01T00:00:00Z",
    },
    { title: "alice done", completed: true, tags: ["shared-tag"] },
    { title: "alice upcoming", dueAt: "2099-01-01T00:00:00Z" },
  ]) {
    const response = await as(t.app, alice)({ method: "POST", url: "/api/v1/todos", payload });
    aliceTodos.push(response.json());
  }
  await as(t.app, bob)({ method: "POST", url: "/api/v1/todos", payload: { title: "bob milk", tags: ["shared-tag"] } });
});
afterAll(() => t?.close());

const aliceRows = () =>
  t.database.handle.db.select().from(todos).where(eq(todos.userId, alice.user.id)).orderBy(todos.position);

describe("another user's todos", () => {
  it("are 404 to every method on one todo, with the same body as a missing id", async () => {
    const bobApi = as(t.app, bob);
    const target = aliceTodos[0]!;
    const missing = crypto.randomUUID();
    const cases = [
      { method: "GET" as const },
      { method: "PATCH" as const, payload: { title: "pwned" } },
      { method: "PUT" as const, payload: { title: "pwned" } },
      { method: "DELETE" as const },
    ];
    for (const { method, payload } of cases) {
      for (const headers of [{}, { "if-match": '"1"' }, { "if-match": "*" }]) {
        const foreign = await bobApi({
          method,
          url: `/api/v1/todos/${target.id}`,
          headers,
          ...(payload && { payload }),
        });
        const absent = await bobApi({ method, url: `/api/v1/todos/${missing}`, headers, ...(payload && { payload }) });
        expect(foreign.statusCode, method).toBe(404);
        expect(foreign.headers["content-type"]).toBe(absent.headers["content-type"]);
        expect(foreign.body).toBe(absent.body.replace(missing, target.id));
        expect(foreign.body).not.toContain(target.id);
        expect(foreign.headers.etag).toBeUndefined();
      }
    }
    const response = await as(t.app, alice)({ method: "GET", url: `/api/v1/todos/${target.id}` });
    expect(response.json()).toEqual(target);
  });

  it("never appear in the other user's list, filters or search", async () => {
    const bobApi = as(t.app, bob);
    for (const query of [
      "",
      "status=completed",
      "status=active",
      "q=alice",
      "q=milk",
      "q=private",
      "tag=shared-tag",
      "priority=high",
      "due=overdue",
      "due=upcoming",
      "due=none",
      "sort=title&limit=1",
      "sort=due",
      "sort=priority",
      "sort=-created",
    ]) {
      const response = await bobApi({ method: "GET", url: `/api/v1/todos?${query}` });
      expect(response.statusCode).toBe(200);
      for (const item of response.json().items) expect(item.title, query).not.toContain("alice");
    }
  });

  it("are never touched by the other user's complete-all or delete-completed", async () => {
    const before = await aliceRows();
    const bobApi = as(t.app, bob);
    await bobApi({ method: "POST", url: "/api/v1/todos", payload: { title: "bob done", completed: true } });
    expect((await bobApi({ method: "POST", url: "/api/v1/todos/complete-all" })).json()).toEqual({ updated: 1 });
    expect((await bobApi({ method: "DELETE", url: "/api/v1/todos?status=completed" })).json()).toEqual({ deleted: 2 });
    expect(await aliceRows()).toEqual(before);
    expect(before).toHaveLength(3);
  });

  it("stay unchanged after all of the above", async () => {
    const response = await as(t.app, alice)({ method: "GET", url: "/api/v1/todos?limit=200" });
    expect(response.json().items).toEqual(aliceTodos);
  });

  it("cannot be reached by a cursor built from them", async () => {
    const page = await as(t.app, alice)({ method: "GET", url: "/api/v1/todos?limit=1" });
    const cursor = page.json().nextCursor as string;
    const response = await as(
      t.app,
      bob,
    )({ method: "GET", url: `/api/v1/todos?limit=200&cursor=${encodeURIComponent(cursor)}` });
    expect(response.statusCode).toBe(200);
    for (const item of response.json().items) expect(item.title).not.toContain("alice");
  });

  it("sessions of another user cannot be revoked: 404", async () => {
    const sessions = (await as(t.app, alice)({ method: "GET", url: "/api/v1/auth/sessions" })).json() as {
      id: string;
    }[];
    const response = await as(t.app, bob)({ method: "DELETE", url: `/api/v1/auth/sessions/${sessions[0]!.id}` });
    expect(response.statusCode).toBe(404);
    expect((await as(t.app, alice)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
  });
});
