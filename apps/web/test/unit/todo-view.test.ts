import { localTimeZone } from "@taskvault/contract/calendar";
import type { Todo } from "@taskvault/contract/todos";
import { describe, expect, test } from "vitest";
import {
  activeCountsByList,
  countActive,
  groupByDay,
  parseView,
  positionNextTo,
  positionOneStep,
  type TodoView,
  tagHref,
  viewHref,
  visibleTodos,
} from "@/features/todos/todo-view.ts";
import { todo } from "../support/todo.ts";

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

  test("filters by status and searches title and notes, as the API's q does (tags are a filter of their own)", () => {
    const ids = (status: "all" | "active" | "completed", q = "") =>
      visibleTodos(list, { status, q, sort: "position", list: "all" }).map((item) => item.id);
    expect(ids("all")).toEqual(["milk", "bread", "taxes"]);
    expect(ids("active")).toEqual(["milk", "taxes"]);
    expect(ids("completed")).toEqual(["bread"]);
    expect(ids("all", "DEADLINE")).toEqual(["taxes"]);
    expect(ids("all", "shop")).toEqual([]);
  });

  test("the tag filter keeps the todos carrying exactly that tag, as the API's tag does, and lives in the URL", () => {
    const tagged = [todo("milk", { tags: ["shop"] }), todo("tools", { tags: ["shopping"] }), todo("plain")];
    const view = parseView(new URLSearchParams("tag=shop&status=active"));
    expect(view.tag).toBe("shop");
    expect(viewHref(view)).toBe("/?status=active&tag=shop");
    expect(visibleTodos(tagged, view).map((item) => item.id)).toEqual(["milk"]);
    expect(visibleTodos(tagged, { ...view, tag: "" }).map((item) => item.id)).toEqual(["milk", "tools", "plain"]);
    expect(tagHref("shop")).toBe("/?tag=shop");
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
    const now = Date.UTC(2026, 5, 15, 12, 0);
    const at = (day: number, hour = 9) => new Date(Date.UTC(2026, 5, day, hour)).toISOString();
    const todos = [
      todo("later", { dueAt: at(20) }),
      todo("tonight", { dueAt: at(15, 22) }),
      todo("overdue", { dueAt: at(10) }),
      todo("tomorrow", { dueAt: at(16) }),
      todo("undated"),
      // Done last week: no longer anybody's business today.
      todo("done-before", { dueAt: at(8), completed: true }),
      todo("done-today", { dueAt: at(15, 8), completed: true }),
    ];
    const ids = (list: string) => visibleTodos(todos, view(list), "UTC", now).map((item) => item.id);
    expect(ids("today")).toEqual(["overdue", "done-today", "tonight"]);
    expect(ids("upcoming")).toEqual(["tomorrow", "later"]);
    expect(Object.fromEntries(activeCountsByList(todos, "UTC", now))).toMatchObject({
      today: 2,
      upcoming: 2,
      inbox: 5,
    });
  });

  test("subtasks are not items of the list: they show inside their parent", () => {
    const todos = [todo("parent"), todo("child", { parentId: "parent" })];
    expect(visibleTodos(todos, parseView(new URLSearchParams())).map((item) => item.id)).toEqual(["parent"]);
  });

  test("moving one step puts an item between its new neighbours, and goes nowhere past either end", () => {
    const lists = [
      { id: "home", position: 1, createdAt: "2026-01-01T00:00:00.000Z" },
      { id: "work", position: 2, createdAt: "2026-01-01T00:00:00.000Z" },
      { id: "gym", position: 3, createdAt: "2026-01-01T00:00:00.000Z" },
    ];
    expect(positionOneStep(lists, "gym", "up")).toBe(1.5);
    expect(positionOneStep(lists, "home", "down")).toBe(2.5);
    expect(positionOneStep(lists, "work", "up")).toBe(0);
    expect(positionOneStep(lists, "home", "up")).toBeNull();
    expect(positionOneStep(lists, "gym", "down")).toBeNull();
    expect(positionOneStep(lists, "missing", "down")).toBeNull();
  });
});

function view(list: string): TodoView {
  return { status: "all", q: "", sort: "position", list };
}

const ids = (todos: Todo[]) => todos.map((item) => item.id);

/**
 * Days in the user's zone, not the machine's: these zones are neither the test process's (checked
 * below) nor each other's, and 20:00 UTC on 25 Nov is already the 26th in Auckland (UTC+13) while
 * still the 25th in Los Angeles (UTC−8).
 */
describe("Today and Upcoming grouped by day in the user's time zone", () => {
  const AUCKLAND = "Pacific/Auckland";
  const LOS_ANGELES = "America/Los_Angeles";
  const now = Date.parse("2026-11-25T20:00:00Z");
  const todos = [
    todo("a", { dueAt: "2026-11-25T09:00:00Z" }), // Auckland 25th 22:00 · LA 25th 01:00
    todo("b", { dueAt: "2026-11-26T06:00:00Z" }), // Auckland 26th 19:00 · LA 25th 22:00
    todo("c", { dueAt: "2026-11-26T12:00:00Z" }), // Auckland 27th 01:00 · LA 26th 04:00
    todo("d", { dueAt: "2026-11-28T18:00:00Z" }), // Auckland 29th 07:00 · LA 28th 10:00
    todo("e", { dueAt: "2027-01-05T20:00:00Z" }), // Auckland 6 Jan 09:00 · LA 5 Jan 12:00
    todo("f", { dueAt: "2026-11-20T20:00:00Z" }), // last week everywhere
  ];
  const grouped = (list: string, timeZone: string) =>
    groupByDay(visibleTodos(todos, view(list), timeZone, now), timeZone, now).map((group) => [
      group.label,
      ids(group.todos),
    ]);

  test("the zones differ from the test process's", () => {
    expect([AUCKLAND, LOS_ANGELES]).not.toContain(localTimeZone());
  });

  test("in Auckland, the 25th is over: Overdue then Today, and Upcoming starts on the 27th", () => {
    expect(grouped("today", AUCKLAND)).toEqual([
      ["Overdue", ["f", "a"]],
      ["Today", ["b"]],
    ]);
    expect(grouped("upcoming", AUCKLAND)).toEqual([
      ["Tomorrow", ["c"]],
      ["Sun 29 Nov", ["d"]],
      ["Wed 6 Jan 2027", ["e"]],
    ]);
  });

  test("in Los Angeles, the same instants are still today; what is past its time is overdue, as the API says", () => {
    expect(grouped("today", LOS_ANGELES)).toEqual([
      ["Overdue", ["f", "a"]],
      ["Today", ["b"]],
    ]);
    expect(grouped("upcoming", LOS_ANGELES)).toEqual([
      ["Tomorrow", ["c"]],
      ["Sat 28 Nov", ["d"]],
      ["Tue 5 Jan 2027", ["e"]],
    ]);
    expect(Object.fromEntries(activeCountsByList(todos, LOS_ANGELES, now))).toMatchObject({ today: 3, upcoming: 3 });
    expect(Object.fromEntries(activeCountsByList(todos, AUCKLAND, now))).toMatchObject({ today: 3, upcoming: 3 });
  });

  test("a 25-hour day (clocks going back) still ends at midnight", () => {
    // 1 Nov 2026 in Los Angeles: 01:30 PDT, then the clocks go back at 02:00 to 01:00 PST.
    const earlyThatDay = Date.parse("2026-11-01T08:30:00Z");
    const lateThatEvening = todo("late", { dueAt: "2026-11-02T07:30:00Z" }); // 23:30 PST, 1 Nov
    const justAfterMidnight = todo("next", { dueAt: "2026-11-02T08:30:00Z" }); // 00:30 PST, 2 Nov
    const pair = [lateThatEvening, justAfterMidnight];
    expect(ids(visibleTodos(pair, view("today"), LOS_ANGELES, earlyThatDay))).toEqual(["late"]);
    expect(groupByDay(pair, LOS_ANGELES, earlyThatDay).map((group) => group.label)).toEqual(["Today", "Tomorrow"]);
  });

  test("a 23-hour day (clocks going forward) ends at midnight too", () => {
    // 27 Sep 2026 in Auckland: at 02:00 NZST the clocks jump to 03:00 NZDT.
    const justAfterMidnight = Date.parse("2026-09-26T12:30:00Z"); // 00:30 NZST, 27 Sep
    const pair = [
      todo("late", { dueAt: "2026-09-27T10:30:00Z" }), // 23:30 NZDT, 27 Sep
      todo("next", { dueAt: "2026-09-27T11:30:00Z" }), // 00:30 NZDT, 28 Sep
    ];
    expect(ids(visibleTodos(pair, view("today"), AUCKLAND, justAfterMidnight))).toEqual(["late"]);
    expect(ids(visibleTodos(pair, view("upcoming"), AUCKLAND, justAfterMidnight))).toEqual(["next"]);
  });
});
