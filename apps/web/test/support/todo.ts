import type { Todo } from "@taskvault/contract/todos";

/** A todo as the API would return it, with `overrides` on top (unit tests of the web's logic). */
export function todo(id: string, overrides: Partial<Todo> = {}): Todo {
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
    createdBy: "00000000-0000-4000-8000-000000000001",
    assigneeId: null,
    ...overrides,
  };
}
