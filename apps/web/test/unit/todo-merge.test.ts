import type { Todo } from "@taskvault/contract/todos";
import { describe, expect, test } from "vitest";
import { applyChanges, applyIncoming, mergeReloaded, pick, settleCreated } from "@/features/todos/todo-merge.ts";
import { todo } from "../support/todo.ts";

const ids = (todos: Todo[]) => todos.map((item) => `${item.id}@${item.version}`);

describe("the list reloaded after a gap", () => {
  test("takes the server's todos, but keeps a newer version already on screen", () => {
    const current = [todo("a", { version: 3 }), todo("b", { version: 1 })];
    const fresh = [todo("a", { version: 2 }), todo("b", { version: 2 }), todo("c")];
    expect(ids(mergeReloaded(current, fresh, new Map()))).toEqual(["a@3", "b@2", "c@1"]);
  });

  test("keeps the optimistic state of todos with calls in flight, and keeps a todo being deleted gone", () => {
    const current = [todo("a", { title: "typed", version: 1 })];
    const fresh = [todo("a", { title: "old", version: 2 }), todo("gone", { version: 5 })];
    const merged = mergeReloaded(
      current,
      fresh,
      new Map([
        ["a", 1],
        ["gone", 1],
      ]),
    );
    expect(merged.map((item) => item.title)).toEqual(["typed"]);
  });

  test("keeps placeholders of todos still being created until they arrive", () => {
    const current = [todo("temp-1", { title: "Buy milk", version: 0 }), todo("temp-2", { title: "Call mom" })];
    const merged = mergeReloaded(current, [todo("x", { title: "Buy milk" })], new Map());
    expect(merged.map((item) => item.id)).toEqual(["x", "temp-2"]);
  });
});

describe("a change from the live stream", () => {
  test("never replaces a newer version with an older one", () => {
    const current = [todo("a", { version: 4 })];
    expect(applyIncoming(current, todo("a", { version: 3 }))).toBe(current);
    expect(ids(applyIncoming(current, todo("a", { version: 5 })))).toEqual(["a@5"]);
  });

  test("takes the place of the placeholder of a todo this page is creating", () => {
    const current = [todo("temp-1", { title: "Buy milk", version: 0 })];
    expect(ids(applyIncoming(current, todo("real", { title: "Buy milk" })))).toEqual(["real@1"]);
    expect(ids(applyIncoming(current, todo("other", { title: "Else" })))).toEqual(["temp-1@0", "other@1"]);
  });
});

describe("a created todo", () => {
  test("replaces its placeholder, or only removes it when the stream brought the todo first", () => {
    const created = todo("real");
    expect(ids(settleCreated([todo("temp-1", { version: 0 })], "temp-1", created))).toEqual(["real@1"]);
    expect(ids(settleCreated([todo("temp-1", { version: 0 }), created], "temp-1", created))).toEqual(["real@1"]);
    expect(ids(settleCreated([], "temp-1", created))).toEqual(["real@1"]);
  });
});

describe("optimistic changes", () => {
  test("completing stamps the time, re-opening clears it, other fields are copied", () => {
    const done = applyChanges(todo("a"), { completed: true, title: "renamed" });
    expect(done).toMatchObject({ completed: true, title: "renamed" });
    expect(done.completedAt).toEqual(expect.any(String));
    expect(applyChanges(done, { completed: false }).completedAt).toBeNull();
  });

  test("pick takes only the fields a change named, to roll back just those", () => {
    expect(pick(todo("a", { title: "t", priority: "high" }), { title: "x" })).toEqual({ title: "t" });
  });
});
