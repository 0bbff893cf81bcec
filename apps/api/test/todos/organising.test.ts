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
  const create = async (payload: Record<string, unknown>) => {
    const response = await api({ method: "POST", url: "/api/v1/todos", payload });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as Todo;
  };
  const patch = (id: string, payload: Record<string, unknown>) =>
    api({ method: "PATCH", url: `/api/v1/todos/${id}`, payload });
  const titles = async (query = "") =>
    ((await api({ method: "GET", url: `/api/v1/todos?limit=200${query}` })).json().items as Todo[]).map(
      (todo) => todo.title,
    );
  return { api, create, patch, titles };
}

describe("new todo fields", () => {
  it("defaults: Inbox, top level, no recurrence, recurFrom due, no reminder, the user's zone", async () => {
    const { create } = await newUser();
    const todo = await create({ title: "plain" });
    expect(todo).toMatchObject({
      listId: null,
      parentId: null,
      recurrence: null,
      recurFrom: "due",
      remindAt: null,
      timezone: "UTC",
    });
  });

  it("new todos take the zone set with PATCH /api/v1/me; name alone still works", async () => {
    const { api, create } = await newUser();
    const named = await api({ method: "PATCH", url: "/api/v1/me", payload: { name: "Ada" } });
    expect(named.statusCode).toBe(200);
    expect(named.json().name).toBe("Ada");
    const zoned = await api({ method: "PATCH", url: "/api/v1/me", payload: { timezone: "Europe/Berlin" } });
    expect(zoned.statusCode).toBe(200);
    expect(zoned.json().name).toBe("Ada");
    expect(Object.keys(zoned.json()).sort()).toEqual(["createdAt", "email", "emailVerified", "id", "name"]);
    expect((await create({ title: "x" })).timezone).toBe("Europe/Berlin");
    expect((await create({ title: "y", timezone: "Asia/Tokyo" })).timezone).toBe("Asia/Tokyo");
    const bad = await api({ method: "PATCH", url: "/api/v1/me", payload: { timezone: "Nowhere/Special" } });
    expect(bad.statusCode).toBe(422);
  });

  it("counts due=today in each todo's own zone when no tz is given", async () => {
    const { create, titles } = await newUser();
    // Zones without summer time, 25 hours apart: their "today" is rarely UTC's.
    const noonToday = (zone: string, offsetHours: number) => {
      const [year, month, day] = new Intl.DateTimeFormat("en-CA", { timeZone: zone }).format(new Date()).split("-");
      return new Date(Date.UTC(Number(year), Number(month) - 1, Number(day), 12) - offsetHours * 3_600_000);
    };
    const kiritimati = noonToday("Pacific/Kiritimati", 14);
    const pagoPago = noonToday("Pacific/Pago_Pago", -11);
    await create({ title: "east", timezone: "Pacific/Kiritimati", dueAt: kiritimati.toISOString() });
    await create({ title: "west", timezone: "Pacific/Pago_Pago", dueAt: pagoPago.toISOString() });
    await create({
      title: "later",
      timezone: "Pacific/Pago_Pago",
      dueAt: new Date(pagoPago.getTime() + 86_400_000).toISOString(),
    });
    expect(await titles("&due=today")).toEqual(["east", "west"]);
    expect(await titles("&due=upcoming")).toEqual(["later"]);
  });

  it("stores, changes and clears a reminder", async () => {
    const { create, patch } = await newUser();
    const todo = await create({ title: "x", remindAt: "2026-12-01T08:00:00+01:00" });
    expect(todo.remindAt).toBe("2026-12-01T07:00:00.000Z");
    expect((await patch(todo.id, { remindAt: "2026-12-02T07:00:00Z" })).json().remindAt).toBe(
      "2026-12-02T07:00:00.000Z",
    );
    expect((await patch(todo.id, { remindAt: null })).json().remindAt).toBeNull();
  });

  it("PUT returns omitted organising fields to their defaults", async () => {
    const { api, create } = await newUser();
    const parent = await create({ title: "parent" });
    const todo = await create({
      title: "x",
      parentId: parent.id,
      recurrence: "FREQ=DAILY",
      recurFrom: "completion",
      remindAt: "2026-12-01T08:00:00Z",
    });
    const replaced = await api({ method: "PUT", url: `/api/v1/todos/${todo.id}`, payload: { title: "y" } });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ parentId: null, recurrence: null, recurFrom: "due", remindAt: null });
  });
});

describe("subtasks", () => {
  it("nests up to 3 levels and refuses a 4th with 422", async () => {
    const { create, api } = await newUser();
    const one = await create({ title: "1" });
    const two = await create({ title: "2", parentId: one.id });
    const three = await create({ title: "3", parentId: two.id });
    expect(three.parentId).toBe(two.id);
    const four = await api({ method: "POST", url: "/api/v1/todos", payload: { title: "4", parentId: three.id } });
    expect(four.statusCode).toBe(422);
    expect(four.json().errors.parentId).toBeDefined();
  });

  it("refuses a move that would nest a subtree deeper than 3 levels", async () => {
    const { create, patch } = await newUser();
    const a = await create({ title: "a" });
    const b = await create({ title: "b", parentId: a.id });
    const x = await create({ title: "x" });
    await create({ title: "y", parentId: x.id });
    // x (2 levels) under b (level 2) would reach level 4.
    expect((await patch(x.id, { parentId: b.id })).statusCode).toBe(422);
    // Under a (level 1) it reaches level 3: fine.
    const moved = await patch(x.id, { parentId: a.id });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().parentId).toBe(a.id);
  });

  it("refuses cycles: a todo under itself or under its own subtask", async () => {
    const { create, patch } = await newUser();
    const a = await create({ title: "a" });
    const b = await create({ title: "b", parentId: a.id });
    expect((await patch(a.id, { parentId: a.id })).statusCode).toBe(422);
    expect((await patch(a.id, { parentId: b.id })).statusCode).toBe(422);
  });

  it("deletes subtasks with their parent", async () => {
    const { api, create, titles } = await newUser();
    const a = await create({ title: "a" });
    const b = await create({ title: "b", parentId: a.id });
    await create({ title: "c", parentId: b.id });
    await create({ title: "other" });
    expect((await api({ method: "DELETE", url: `/api/v1/todos/${a.id}` })).statusCode).toBe(204);
    expect(await titles()).toEqual(["other"]);
  });

  it("filters by parentId, and parentId=none for top-level todos", async () => {
    const { create, titles } = await newUser();
    const a = await create({ title: "a" });
    await create({ title: "a.1", parentId: a.id });
    await create({ title: "a.2", parentId: a.id });
    await create({ title: "b" });
    expect(await titles(`&parentId=${a.id}`)).toEqual(["a.1", "a.2"]);
    expect(await titles("&parentId=none")).toEqual(["a", "b"]);
    expect((await (await newUser()).api({ method: "GET", url: "/api/v1/todos?parentId=nonsense" })).statusCode).toBe(
      400,
    );
  });

  it("puts a new subtask in its parent's list unless told otherwise", async () => {
    const { api, create } = await newUser();
    const list = (await api({ method: "POST", url: "/api/v1/lists", payload: { name: "L" } })).json();
    const parent = await create({ title: "p", listId: list.id });
    expect((await create({ title: "c", parentId: parent.id })).listId).toBe(list.id);
    expect((await create({ title: "d", parentId: parent.id, listId: null })).listId).toBeNull();
  });

  it("refuses another user's todo as parent exactly like a todo that does not exist (422)", async () => {
    const owner = await newUser();
    const other = await newUser();
    const foreign = await owner.create({ title: "theirs" });
    const missing = await other.api({
      method: "POST",
      url: "/api/v1/todos",
      payload: { title: "x", parentId: "00000000-0000-4000-8000-000000000000" },
    });
    const stolen = await other.api({
      method: "POST",
      url: "/api/v1/todos",
      payload: { title: "x", parentId: foreign.id },
    });
    expect(missing.statusCode).toBe(422);
    expect(stolen.json()).toEqual(missing.json());
    const mine = await other.create({ title: "mine" });
    const moved = await other.patch(mine.id, { parentId: foreign.id });
    expect(moved.json()).toEqual(missing.json());
    expect(await owner.titles()).toEqual(["theirs"]);
  });
});
