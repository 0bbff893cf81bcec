import type { Todo } from "@taskvault/contract/todos";
import { describe, expect, test } from "vitest";
import {
  activeCountsByList,
  countActive,
  parseView,
  positionNextTo,
  viewHref,
  visibleTodos,
} from "@/features/todos/todo-view.ts";

function todo(id: string, overrides: Partial<Todo> = {}): Todo {
  return {
    id,
    title: id,
    description: "",
    completed: false,
    completedAt: null,
    dueAt: null,
    priority: "none",
    tags: [],
    position: 0,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    version: 1,
    listId: null,
    parentId: null,
    recurrence: null,
    recurFrom: "due",
    remindAt: null,
    timezone: "UTC",
    ...overrides,
  };
}

const list = [
  todo("milk", { position: 1, tags: ["shop"] }),
  todo("bread", { position: 2, completed: true, priority: "high" }),
  todo("taxes", { position: 3, dueAt: "2026-02-01T00:00:00.000Z", description: "before the deadline" }),
];

describe("the todo list view", () => {
  test("the URL round-trips the filter, search and sort, leaving defaults out", () => {
    const view = parseView(new URLSearchParams("status=active&q=milk&sort=due"));
    expect(view).toEqual({ status: "active", q: "milk", sort: "due", list: "all" });
    expect(viewHref(view)).toBe("/?status=active&q=milk&sort=due");
    expect(viewHref(parseView(new URLSearchParams("status=bogus&sort=evil")))).toBe("/");
  });

  test("filters by status and searches title, notes and tags", () => {
    const ids = (status: "all" | "active" | "completed", q = "") =>
      visibleTodos(list, { status, q, sort: "position", list: "all" }).map((item) => item.id);
    expect(ids("all")).toEqual(["milk", "bread", "taxes"]);
    expect(ids("active")).toEqual(["milk", "taxes"]);
    expect(ids("completed")).toEqual(["bread"]);
    expect(ids("all", "DEADLINE")).toEqual(["taxes"]);
    expect(ids("all", "shop")).toEqual(["milk"]);
  });

  test("sorts by priority and by due date with undated todos last", () => {
    expect(visibleTodos(list, { status: "all", q: "", sort: "priority", list: "all" })[0]?.id).toBe("bread");
    expect(visibleTodos(list, { status: "all", q: "", sort: "due", list: "all" }).map((item) => item.id)).toEqual([
      "taxes",
      "milk",
      "bread",
    ]);
  });

  test("counts the items left", () => {
    expect(countActive(list)).toBe(2);
  });

  test("moving a todo puts it between its new neighbours", () => {
    expect(positionNextTo(list, "taxes", "milk", "before")).toBe(0);
    expect(positionNextTo(list, "milk", "bread", "after")).toBe(2.5);
    expect(positionNextTo(list, "milk", "taxes", "after")).toBe(4);
    expect(positionNextTo(list, "milk", "missing", "after")).toBeNull();
  });

  test("the list filter lives in the URL and picks the Inbox or one list", () => {
    const todos = [
      todo("inbox-open"),
      todo("home-open", { listId: "home" }),
      todo("home-done", { listId: "home", completed: true }),
    ];
    const home = parseView(new URLSearchParams("list=home&status=active"));
    expect(home.list).toBe("home");
    expect(viewHref(home)).toBe("/?list=home&status=active");
    expect(visibleTodos(todos, home).map((item) => item.id)).toEqual(["home-open"]);
    expect(visibleTodos(todos, parseView(new URLSearchParams("list=inbox"))).map((item) => item.id)).toEqual([
      "inbox-open",
    ]);
    expect(parseView(new URLSearchParams("list=../etc")).list).toBe("all");
    expect(Object.fromEntries(activeCountsByList(todos))).toEqual({ inbox: 1, home: 1 });
  });

  test("Today holds what is due today or overdue, Upcoming what is due later, soonest first", () => {
    const now = new Date(2026, 5, 15, 12, 0).getTime();
    const at = (day: number, hour = 9) => new Date(2026, 5, day, hour).toISOString();
    const todos = [
      todo("later", { dueAt: at(20) }),
      todo("tonight", { dueAt: at(15, 22) }),
      todo("overdue", { dueAt: at(10) }),
      todo("tomorrow", { dueAt: at(16) }),
      todo("undated"),
    ];
    const ids = (list: string) =>
      visibleTodos(todos, { status: "all", q: "", sort: "position", list }, now).map((item) => item.id);
    expect(ids("today")).toEqual(["overdue", "tonight"]);
    expect(ids("upcoming")).toEqual(["tomorrow", "later"]);
    expect(Object.fromEntries(activeCountsByList(todos, now))).toMatchObject({ today: 2, upcoming: 2, inbox: 5 });
  });

  test("subtasks are not items of the list: they show inside their parent", () => {
    const todos = [todo("parent"), todo("child", { parentId: "parent" })];
    expect(visibleTodos(todos, parseView(new URLSearchParams())).map((item) => item.id)).toEqual(["parent"]);
  });
});
