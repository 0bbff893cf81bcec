import type { List, ListWithCounts } from "@taskvault/contract/lists";
import { ListColor } from "@taskvault/contract/lists";
import type { Todo } from "@taskvault/contract/todos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, buildTestApp, signUp, type TestApp } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t?.close());

async function newUser() {
  const api = as(t.app, await signUp(t.app));
  const createList = async (payload: Record<string, unknown>) => {
    const response = await api({ method: "POST", url: "/api/v1/lists", payload });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as List;
  };
  const createTodo = async (payload: Record<string, unknown>) => {
    const response = await api({ method: "POST", url: "/api/v1/todos", payload });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as Todo;
  };
  const lists = async () => (await api({ method: "GET", url: "/api/v1/lists" })).json().items as ListWithCounts[];
  const todos = async (query = "") =>
    (await api({ method: "GET", url: `/api/v1/todos?limit=200${query}` })).json().items as Todo[];
  return { api, createList, createTodo, lists, todos };
}

describe("lists", () => {
  it("creates a list: 201 with Location, ETag and the List shape", async () => {
    const { api } = await newUser();
    const response = await api({ method: "POST", url: "/api/v1/lists", payload: { name: "  Home  ", color: "blue" } });
    expect(response.statusCode).toBe(201);
    const list = response.json();
    expect(Object.keys(list).sort()).toEqual([
      "color",
      "createdAt",
      "id",
      "memberCount",
      "name",
      "position",
      "role",
      "updatedAt",
      "version",
    ]);
    expect(list).toMatchObject({ role: "owner", memberCount: 1 });
    expect(list).toMatchObject({ name: "Home", color: "blue", version: 1 });
    expect(response.headers.location).toBe(`/api/v1/lists/${list.id}`);
    expect(response.headers.etag).toBe('"1"');
  });

  it("lists them in order with todoCount and activeCount", async () => {
    const { api, createList, createTodo, lists } = await newUser();
    const home = await createList({ name: "Home" });
    const work = await createList({ name: "Work", color: null });
    await createTodo({ title: "a", listId: home.id });
    await createTodo({ title: "b", listId: home.id, completed: true });
    await createTodo({ title: "inbox" });
    const items = await lists();
    expect(items.map((list) => [list.name, list.todoCount, list.activeCount])).toEqual([
      ["Home", 2, 1],
      ["Work", 0, 0],
    ]);
    expect(items[0]!.position).toBeLessThan(items[1]!.position);
    const one = await api({ method: "GET", url: `/api/v1/lists/${work.id}` });
    expect(one.statusCode).toBe(200);
    expect(one.json()).toEqual(work);
  });

  it("refuses a second list with the same name in any case with 409 conflict", async () => {
    const { api, createList } = await newUser();
    await createList({ name: "Groceries" });
    const response = await api({ method: "POST", url: "/api/v1/lists", payload: { name: "GROCERIES" } });
    expect(response.statusCode).toBe(409);
    expect(response.json().code).toBe("conflict");
    const concurrent = await Promise.all(
      Array.from({ length: 4 }, () => api({ method: "POST", url: "/api/v1/lists", payload: { name: "Race" } })),
    );
    expect(concurrent.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
  });

  it("lets two users have lists with the same name", async () => {
    await (await newUser()).createList({ name: "Shared name" });
    await (await newUser()).createList({ name: "shared NAME" });
  });

  it("refuses a colour outside the palette, an empty or too long name, and unknown fields with 422", async () => {
    const { api } = await newUser();
    expect(ListColor.options).toContain("red");
    for (const payload of [
      { name: "x", color: "#ff0000" },
      { name: "   " },
      { name: "x".repeat(61) },
      { name: "x", id: "00000000-0000-4000-8000-000000000000" },
      { name: "x", version: 3 },
    ]) {
      const response = await api({ method: "POST", url: "/api/v1/lists", payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(422);
    }
  });

  it("renames and recolours with PATCH, honouring If-Match", async () => {
    const { api, createList } = await newUser();
    const list = await createList({ name: "Old" });
    await createList({ name: "Taken" });
    const renamed = await api({
      method: "PATCH",
      url: `/api/v1/lists/${list.id}`,
      payload: { name: "New", color: "green" },
      headers: { "if-match": '"1"' },
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: "New", color: "green", version: 2 });
    const stale = await api({
      method: "PATCH",
      url: `/api/v1/lists/${list.id}`,
      payload: { name: "Newer" },
      headers: { "if-match": '"1"' },
    });
    expect(stale.statusCode).toBe(412);
    const clash = await api({ method: "PATCH", url: `/api/v1/lists/${list.id}`, payload: { name: "taken" } });
    expect(clash.statusCode).toBe(409);
    const sameNameNewCase = await api({ method: "PATCH", url: `/api/v1/lists/${list.id}`, payload: { name: "NEW" } });
    expect(sameNameNewCase.statusCode).toBe(200);
  });

  it("deletes an empty list; a list with todos needs ?todos=delete or ?todos=inbox, else 409", async () => {
    const { api, createList, createTodo, todos } = await newUser();
    const empty = await createList({ name: "Empty" });
    expect((await api({ method: "DELETE", url: `/api/v1/lists/${empty.id}` })).statusCode).toBe(204);
    expect((await api({ method: "GET", url: `/api/v1/lists/${empty.id}` })).statusCode).toBe(404);

    const full = await createList({ name: "Full" });
    const kept = await createTodo({ title: "moves", listId: full.id });
    const refused = await api({ method: "DELETE", url: `/api/v1/lists/${full.id}` });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe("conflict");
    expect((await api({ method: "DELETE", url: `/api/v1/lists/${full.id}?todos=inbox` })).statusCode).toBe(204);
    const moved = (await todos()).find((todo) => todo.id === kept.id)!;
    expect(moved.listId).toBeNull();
    expect(moved.version).toBe(2);

    const doomed = await createList({ name: "Doomed" });
    const parent = await createTodo({ title: "goes", listId: doomed.id });
    await createTodo({ title: "child goes too", parentId: parent.id });
    expect((await api({ method: "DELETE", url: `/api/v1/lists/${doomed.id}?todos=delete` })).statusCode).toBe(204);
    expect((await todos()).map((todo) => todo.title)).toEqual(["moves"]);
    expect((await api({ method: "DELETE", url: `/api/v1/lists/${doomed.id}?todos=later` })).statusCode).toBe(400);
  });

  it("hides other users' lists: 404 on read, change and delete, and never counted", async () => {
    const owner = await newUser();
    const other = await newUser();
    const list = await owner.createList({ name: "Private" });
    for (const request of [
      { method: "GET" as const, url: `/api/v1/lists/${list.id}` },
      { method: "PATCH" as const, url: `/api/v1/lists/${list.id}`, payload: { name: "Mine now" } },
      { method: "DELETE" as const, url: `/api/v1/lists/${list.id}?todos=delete` },
      { method: "GET" as const, url: "/api/v1/lists/not-a-uuid" },
    ]) {
      const response = await other.api(request);
      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe("not_found");
    }
    expect(await other.lists()).toEqual([]);
    expect((await owner.api({ method: "GET", url: `/api/v1/lists/${list.id}` })).json().name).toBe("Private");
  });

  it("needs a token", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/v1/lists" })).statusCode).toBe(401);
  });
});

describe("todos in lists", () => {
  it("filters todos by listId, and listId=inbox for todos in no list", async () => {
    const { createList, createTodo, todos } = await newUser();
    const home = await createList({ name: "Home" });
    await createTodo({ title: "in home", listId: home.id });
    await createTodo({ title: "in inbox" });
    expect((await todos(`&listId=${home.id}`)).map((todo) => todo.title)).toEqual(["in home"]);
    expect((await todos("&listId=inbox")).map((todo) => todo.title)).toEqual(["in inbox"]);
  });

  it("refuses another user's list exactly like a list that does not exist (422)", async () => {
    const owner = await newUser();
    const other = await newUser();
    const foreign = await owner.createList({ name: "Theirs" });
    const missing = await other.api({
      method: "POST",
      url: "/api/v1/todos",
      payload: { title: "x", listId: "00000000-0000-4000-8000-000000000000" },
    });
    const stolen = await other.api({
      method: "POST",
      url: "/api/v1/todos",
      payload: { title: "x", listId: foreign.id },
    });
    expect(missing.statusCode).toBe(422);
    expect(stolen.statusCode).toBe(422);
    expect(stolen.json()).toEqual(missing.json());
    const todo = await other.createTodo({ title: "mine" });
    const moved = await other.api({
      method: "PATCH",
      url: `/api/v1/todos/${todo.id}`,
      payload: { listId: foreign.id },
    });
    expect(moved.statusCode).toBe(422);
    expect(moved.json()).toEqual(missing.json());
  });

  it("moves a todo between lists and back to the Inbox", async () => {
    const { api, createList, createTodo } = await newUser();
    const list = await createList({ name: "A" });
    const todo = await createTodo({ title: "x" });
    expect(todo.listId).toBeNull();
    const moved = await api({ method: "PATCH", url: `/api/v1/todos/${todo.id}`, payload: { listId: list.id } });
    expect(moved.json().listId).toBe(list.id);
    const back = await api({ method: "PATCH", url: `/api/v1/todos/${todo.id}`, payload: { listId: null } });
    expect(back.json().listId).toBeNull();
  });
});
