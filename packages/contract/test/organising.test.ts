import { describe, expect, it } from "vitest";
import { UpdateMe } from "../src/auth.ts";
import { CreateList, DeleteListQuery } from "../src/lists.ts";
import { CreateTodo, ListTodosQuery, ParseTodo, UpdateTodoResult } from "../src/todos.ts";

describe("organising fields", () => {
  it("normalizes a recurrence: drops an RRULE: prefix and upper-cases it", () => {
    expect(CreateTodo.parse({ title: "x", recurrence: "RRULE:freq=weekly;byday=mo" }).recurrence).toBe(
      "FREQ=WEEKLY;BYDAY=MO",
    );
  });

  it("refuses a recurrence that is not an RRULE, an unknown zone and a bad recurFrom", () => {
    for (const input of [
      { recurrence: "every day" },
      { recurrence: "BYDAY=MO" },
      { timezone: "Mars/Olympus" },
      { recurFrom: "later" },
      { listId: "not-a-uuid" },
    ]) {
      expect(CreateTodo.safeParse({ title: "x", ...input }).success, JSON.stringify(input)).toBe(false);
    }
  });

  it("filters by listId (uuid or inbox) and parentId (uuid or none)", () => {
    const id = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    expect(ListTodosQuery.parse({ listId: "inbox", parentId: "none" })).toMatchObject({ listId: "inbox" });
    expect(ListTodosQuery.parse({ listId: id, parentId: id }).parentId).toBe(id);
    expect(ListTodosQuery.safeParse({ listId: "Home" }).success).toBe(false);
  });

  it("makes next optional on the PATCH answer", () => {
    const todo = {
      id: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
      title: "x",
      description: "",
      completed: true,
      completedAt: null,
      dueAt: null,
      priority: "none",
      tags: [],
      position: 1,
      createdAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:00.000Z",
      version: 1,
      listId: null,
      parentId: null,
      recurrence: null,
      recurFrom: "due",
      remindAt: null,
      timezone: "UTC",
      createdBy: "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c",
      assigneeId: null,
    };
    expect(UpdateTodoResult.safeParse(todo).success).toBe(true);
    expect(UpdateTodoResult.safeParse({ ...todo, next: todo }).success).toBe(true);
  });

  it("keeps { name } valid for PATCH /me and adds an optional timezone", () => {
    expect(UpdateMe.parse({ name: "Ada" })).toEqual({ name: "Ada" });
    expect(UpdateMe.parse({ timezone: "Europe/Paris" })).toEqual({ timezone: "Europe/Paris" });
    expect(UpdateMe.safeParse({ timezone: "Nowhere" }).success).toBe(false);
  });

  it("lists: trimmed names up to 60 characters, a fixed palette, explicit delete modes", () => {
    expect(CreateList.parse({ name: "  Home " }).name).toBe("Home");
    expect(CreateList.safeParse({ name: "x".repeat(61) }).success).toBe(false);
    expect(CreateList.safeParse({ name: "x", color: "#f00" }).success).toBe(false);
    expect(DeleteListQuery.safeParse({ todos: "inbox" }).success).toBe(true);
    expect(DeleteListQuery.safeParse({ todos: "archive" }).success).toBe(false);
  });

  it("quick-add needs some text", () => {
    expect(ParseTodo.safeParse({ text: "   " }).success).toBe(false);
    expect(ParseTodo.safeParse({ text: "Buy milk", tz: "Europe/Paris" }).success).toBe(true);
  });
});
