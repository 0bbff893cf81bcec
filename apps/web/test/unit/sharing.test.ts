import { describe, expect, test } from "vitest";
import { canWriteTo, isShared } from "@/features/sharing/members-context.ts";
import { displayName, initialsOf, viewerRefusal } from "@/features/sharing/sharing-api.ts";
import { ASSIGNED_VIEW, parseView, type TodoView, visibleTodos } from "@/features/todos/todo-view.ts";
import { BffError } from "@/lib/bff-client.ts";
import { todo } from "../support/todo.ts";

const ME = "00000000-0000-4000-8000-00000000000a";
const OTHER = "00000000-0000-4000-8000-00000000000b";
const assigned: TodoView = { status: "all", q: "", sort: "position", list: ASSIGNED_VIEW };

describe("the Assigned to me view", () => {
  test("shows the top-level todos assigned to the signed-in user, in every list", () => {
    const todos = [
      todo("mine", { assigneeId: ME, listId: "11111111-1111-4111-8111-111111111111" }),
      todo("mine-inbox", { assigneeId: ME, position: 2 }),
      todo("theirs", { assigneeId: OTHER }),
      todo("nobody's"),
      todo("my subtask", { assigneeId: ME, parentId: "mine" }),
    ];
    expect(visibleTodos(todos, assigned, "UTC", Date.now(), ME).map((item) => item.id)).toEqual(["mine", "mine-inbox"]);
  });

  test("shows nothing while the user is unknown", () => {
    expect(visibleTodos([todo("mine", { assigneeId: ME })], assigned, "UTC", Date.now())).toEqual([]);
  });

  test("survives in the address as ?list=assigned", () => {
    expect(parseView(new URLSearchParams("list=assigned")).list).toBe(ASSIGNED_VIEW);
  });
});

describe("people in shared lists", () => {
  test("are shown by the initials of their first and last names, else of their email", () => {
    expect(initialsOf({ name: "Ada King Lovelace", email: "ada@example.com" })).toBe("AL");
    expect(initialsOf({ name: "grace", email: "grace@example.com" })).toBe("G");
    expect(initialsOf({ name: "  ", email: "bob@example.com" })).toBe("B");
    expect(displayName({ name: "", email: "bob@example.com" })).toBe("bob@example.com");
  });

  test("a viewer may not write; owners, editors and the Inbox may", () => {
    expect(canWriteTo({ role: "viewer" })).toBe(false);
    expect(canWriteTo({ role: "editor" })).toBe(true);
    expect(canWriteTo({ role: "owner" })).toBe(true);
    expect(canWriteTo(undefined)).toBe(true);
    expect(isShared({ memberCount: 1 })).toBe(false);
    expect(isShared({ memberCount: 2 })).toBe(true);
  });

  test("a write refused with 403 is explained as view-only; other failures are not", () => {
    expect(viewerRefusal(new BffError(403, { code: "forbidden" }), "Milk")).toMatch(
      /view this shared list but not change it/,
    );
    expect(viewerRefusal(new BffError(404, { code: "not_found" }), "Milk")).toBeNull();
    expect(viewerRefusal(new Error("x"), "Milk")).toBeNull();
  });
});
