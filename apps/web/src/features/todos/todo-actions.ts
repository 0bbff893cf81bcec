import type { Todo, UpdateTodo } from "@taskvault/contract/todos";

/** What a todo row and its details may do to todos; the store (todo-app) implements it. */
export type TodoActions = {
  update(id: string, changes: UpdateTodo): void;
  remove(todo: Todo): void;
  /** One place up or down: among the list shown, or for a subtask among its siblings. */
  move(id: string, direction: "up" | "down"): void;
  drop(movingId: string, anchorId: string, side: "before" | "after"): void;
  /** Rejects with the reason (the API's message) when the subtask could not be added. */
  addSubtask(parent: Todo, title: string): Promise<void>;
};
