import type { ExportDocument } from "@taskvault/contract/import-export";
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
  const post = async (url: string, payload: Record<string, unknown>) => {
    const response = await api({ method: "POST", url, payload });
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };
  const exported = async () => {
    const response = await api({ method: "GET", url: "/api/v1/export" });
    expect(response.statusCode).toBe(200);
    return response.json() as ExportDocument;
  };
  const importJson = (payload: unknown) =>
    api({ method: "POST", url: "/api/v1/import", payload: payload as Record<string, unknown> });
  const importCsv = (csv: string, contentType = "text/csv") =>
    api({ method: "POST", url: "/api/v1/import", payload: csv, headers: { "content-type": contentType } });
  return { api, post, exported, importJson, importCsv };
}

/** A document with its ids replaced by their order of appearance, and the export time dropped: comparable across accounts. */
function comparable(document: ExportDocument) {
  const ids = new Map<string, string>();
  const name = (id: string | null) => {
    if (id === null) return null;
    if (!ids.has(id)) ids.set(id, `#${ids.size}`);
    return ids.get(id)!;
  };
  const { email: _, createdAt: __, ...profile } = document.profile;
  return {
    profile,
    lists: document.lists.map((list) => ({ ...list, id: name(list.id) })),
    todos: document.todos.map((todo) => ({
      ...todo,
      id: name(todo.id),
      listId: name(todo.listId),
      parentId: name(todo.parentId),
      nextId: name(todo.nextId),
    })),
  };
}

async function seed() {
  const user = await newUser();
  await user.api({ method: "PATCH", url: "/api/v1/me", payload: { name: "Ada", timezone: "Europe/London" } });
  const home = await user.post("/api/v1/lists", { name: "Home", color: "green" });
  await user.post("/api/v1/lists", { name: "Work" });
  const parent = await user.post("/api/v1/todos", {
    title: "Move house",
    description: "All of it",
    listId: home.id,
    priority: "high",
    tags: ["big", "2026"],
    dueAt: "2026-12-01T10:00:00Z",
    remindAt: "2026-12-01T09:00:00Z",
  });
  const child = await user.post("/api/v1/todos", { title: "Pack", parentId: parent.id });
  await user.post("/api/v1/todos", { title: "Books", parentId: child.id, completed: true });
  const recurring = (await user.post("/api/v1/todos", {
    title: "Bins",
    recurrence: "FREQ=WEEKLY;BYDAY=MO",
    dueAt: "2026-11-30T07:00:00Z",
    timezone: "Europe/London",
  })) as Todo;
  await user.api({ method: "PATCH", url: `/api/v1/todos/${recurring.id}`, payload: { completed: true } });
  await user.post("/api/v1/todos", { title: "Inbox thing", recurFrom: "completion", recurrence: "FREQ=DAILY" });
  return user;
}

describe("export", () => {
  it("gives one versioned document of the profile, lists and todos", async () => {
    const user = await seed();
    const response = await user.api({ method: "GET", url: "/api/v1/export" });
    expect(response.headers["content-disposition"]).toMatch(/^attachment; filename="taskvault-export-/);
    const document = response.json() as ExportDocument;
    expect(document).toMatchObject({ format: "taskvault-export", version: 1 });
    expect(document.profile).toMatchObject({ name: "Ada", timezone: "Europe/London" });
    expect(document.lists.map((list) => list.name)).toEqual(["Home", "Work"]);
    expect(document.todos).toHaveLength(6);
    const bins = document.todos.filter((todo) => todo.title === "Bins");
    expect(bins.find((todo) => todo.completed)!.nextId).toBe(bins.find((todo) => !todo.completed)!.id);
  });

  it("needs a token and never includes another user's data", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/v1/export" })).statusCode).toBe(401);
    await seed();
    const empty = await (await newUser()).exported();
    expect(empty.lists).toEqual([]);
    expect(empty.todos).toEqual([]);
  });
});

describe("import", () => {
  it("reproduces the same data in a fresh account (export → import → export)", async () => {
    const source = await seed();
    const original = await source.exported();
    const target = await newUser();
    const response = await target.importJson(original);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ imported: 6 });
    const copy = await target.exported();
    expect(comparable(copy)).toEqual(comparable(original));
    // New ids everywhere; the source account is untouched.
    const originalIds = new Set(original.todos.map((todo) => todo.id));
    expect(copy.todos.some((todo) => originalIds.has(todo.id))).toBe(false);
    expect(comparable(await source.exported())).toEqual(comparable(original));
  });

  it("keeps the recurrence link: completing the imported instance again creates nothing", async () => {
    const target = await newUser();
    await target.importJson(await (await seed()).exported());
    const completed = (await target.exported()).todos.find((todo) => todo.title === "Bins" && todo.completed)!;
    await target.api({ method: "PATCH", url: `/api/v1/todos/${completed.id}`, payload: { completed: false } });
    await target.api({ method: "PATCH", url: `/api/v1/todos/${completed.id}`, payload: { completed: true } });
    expect((await target.exported()).todos.filter((todo) => todo.title === "Bins")).toHaveLength(2);
  });

  it("checks the whole document first: one bad todo imports nothing, and every problem is named", async () => {
    const document = await (await seed()).exported();
    const target = await newUser();
    const broken = structuredClone(document);
    broken.todos[3]!.title = "   ";
    broken.todos[4]!.priority = "urgent" as never;
    const response = await target.importJson(broken);
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe("validation_failed");
    expect(Object.keys(response.json().errors).sort()).toEqual(["todos.3.title", "todos.4.priority"]);
    const after = await target.exported();
    expect(after.todos).toEqual([]);
    expect(after.lists).toEqual([]);
    expect(after.profile.name).toBe("");
  });

  it("refuses links that leave the document, cycles, deep nesting and bad rules", async () => {
    const target = await newUser();
    const base = await (await seed()).exported();
    const cases: [string, (document: ExportDocument) => void][] = [
      [
        "todos.0.listId",
        (d) => {
          d.todos[0]!.listId = "00000000-0000-4000-8000-000000000000";
        },
      ],
      [
        "todos.0.parentId",
        (d) => {
          d.todos[0]!.parentId = d.todos[2]!.id;
        },
      ], // a cycle
      [
        "todos.4.recurrence",
        (d) => {
          d.todos[4]!.recurrence = "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31";
        },
      ],
      [
        "lists.1.name",
        (d) => {
          d.lists[1]!.name = "HOME";
        },
      ],
      [
        "todos.1.id",
        (d) => {
          d.todos[1]!.id = d.todos[0]!.id;
        },
      ],
    ];
    for (const [field, breakIt] of cases) {
      const document = structuredClone(base);
      breakIt(document);
      const response = await target.importJson(document);
      expect(response.statusCode, field).toBe(422);
      expect(Object.keys(response.json().errors), field).toContain(field);
    }
    const deep = structuredClone(base);
    const leaf = deep.todos.find((todo) => todo.title === "Books")!;
    deep.todos.push({ ...leaf, id: "00000000-0000-4000-8000-000000000001", title: "Too deep", parentId: leaf.id });
    expect((await target.importJson(deep)).statusCode).toBe(422);
    for (const payload of [{}, { ...base, version: 2 }, { ...base, format: "other" }, { ...base, extra: 1 }]) {
      expect((await target.importJson(payload)).statusCode).toBe(422);
    }
    expect((await target.exported()).todos).toEqual([]);
  });

  it("merges lists the user already has by name, and puts imported todos after theirs", async () => {
    const document = await (await seed()).exported();
    const target = await newUser();
    const home = await target.post("/api/v1/lists", { name: "home" });
    await target.post("/api/v1/todos", { title: "mine" });
    expect((await target.importJson(document)).statusCode).toBe(200);
    const after = await target.exported();
    expect(after.lists.map((list) => list.name)).toEqual(["home", "Work"]);
    expect(after.todos.find((todo) => todo.title === "Move house")!.listId).toBe(home.id);
    expect(after.todos[0]!.title).toBe("mine");
  });

  it("accepts documents larger than 64 KiB up to 1 MiB; larger is 413", async () => {
    const target = await newUser();
    const now = new Date().toISOString();
    const todo = (index: number) => ({
      id: `00000000-0000-4000-8000-${String(index).padStart(12, "0")}`,
      title: `Todo ${index}`,
      description: "x".repeat(200),
      completed: false,
      completedAt: null,
      dueAt: null,
      priority: "none",
      tags: [],
      position: index,
      createdAt: now,
      updatedAt: now,
      listId: null,
      parentId: null,
      recurrence: null,
      recurFrom: "due",
      remindAt: null,
      timezone: "UTC",
      nextId: null,
    });
    const document = (count: number) => ({
      format: "taskvault-export",
      version: 1,
      exportedAt: now,
      profile: { name: "", timezone: "UTC" },
      lists: [],
      todos: Array.from({ length: count }, (_, index) => todo(index + 1)),
    });
    const medium = await target.importJson(document(500)); // ≈ 250 KiB
    expect(medium.statusCode, medium.body).toBe(200);
    expect(medium.json()).toEqual({ imported: 500 });
    const huge = await target.importJson(document(3000)); // ≈ 1.5 MiB
    expect(huge.statusCode).toBe(413);
    // Other endpoints keep their 64 KiB limit.
    const big = await target.api({ method: "POST", url: "/api/v1/todos", payload: { title: "x".repeat(70_000) } });
    expect(big.statusCode).toBe(413);
  });
});

describe("Todoist CSV import", () => {
  const CSV = [
    "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE,DURATION,DURATION_UNIT",
    'task,Buy milk @errands @home,"Semi-skimmed, 2 litres",1,1,Ada (1),,tomorrow,en,Europe/Paris,,',
    "note,Check the date,,,,Ada (1),,,,,,",
    "task,Plan holiday,,4,1,Ada (1),,,en,,,",
    'task,"Book ""nice"" hotel",,2,2,Ada (1),,,en,,,',
    "task,Compare prices,,3,3,Ada (1),,,en,,,",
    "task,Way too deep,,3,4,Ada (1),,,en,,,",
    "section,Work,,,,,,,,,,",
    "task,Team meeting,,2,1,Ada (1),,every monday 10am,en,Europe/London,30,minute",
    "",
  ].join("\r\n");

  it("maps sections to lists, priorities, labels, dates, notes and indents", async () => {
    const user = await newUser();
    const response = await user.importCsv(CSV);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ imported: 6 });
    const document = await user.exported();
    expect(document.lists.map((list) => list.name)).toEqual(["Work"]);
    const byTitle = new Map(document.todos.map((todo) => [todo.title, todo]));
    const milk = byTitle.get("Buy milk")!;
    expect(milk).toMatchObject({ priority: "high", tags: ["errands", "home"], listId: null, timezone: "Europe/Paris" });
    expect(milk.description).toBe("Semi-skimmed, 2 litres\n\nCheck the date");
    expect(milk.dueAt).not.toBeNull();
    expect(byTitle.get("Plan holiday")!.priority).toBe("none");
    const hotel = byTitle.get('Book "nice" hotel')!;
    expect(hotel).toMatchObject({ priority: "medium", parentId: byTitle.get("Plan holiday")!.id });
    expect(byTitle.get("Compare prices")).toMatchObject({ priority: "low", parentId: hotel.id });
    // Todoist allows a 4th level; here it stays at the 3rd.
    expect(byTitle.get("Way too deep")!.parentId).toBe(hotel.id);
    const meeting = byTitle.get("Team meeting")!;
    expect(meeting).toMatchObject({ recurrence: "FREQ=WEEKLY;BYDAY=MO", listId: document.lists[0]!.id });
    const london = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Europe/London",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
    }).format(new Date(meeting.dueAt!));
    expect(london).toBe("Mon 10:00");
  });

  it("refuses a CSV that is not a Todoist export, and a bad PRIORITY, importing nothing", async () => {
    const user = await newUser();
    const notTodoist = await user.importCsv("name,when\nBuy milk,tomorrow\n");
    expect(notTodoist.statusCode).toBe(422);
    const badPriority = await user.importCsv("TYPE,CONTENT,PRIORITY,INDENT\ntask,fine,1,1\ntask,not fine,9,1\n");
    expect(badPriority.statusCode).toBe(422);
    expect(Object.keys(badPriority.json().errors)).toEqual(["rows.3.PRIORITY"]);
    expect((await user.exported()).todos).toEqual([]);
  });

  it("answers 415 for other content types", async () => {
    const user = await newUser();
    expect((await user.importCsv(CSV, "text/plain")).statusCode).toBe(415);
    // CSV is only understood by the import.
    const elsewhere = await user.api({
      method: "POST",
      url: "/api/v1/todos",
      payload: "title",
      headers: { "content-type": "text/csv" },
    });
    expect(elsewhere.statusCode).toBe(415);
  });
});
