"use client";

import type { Todo } from "@taskvault/contract/todos";
import { createContext } from "react";

/** Subtasks by parent id: each todo shows its progress ("2/5") and lists them in its details. */
export const SubtasksContext = createContext<Map<string, Todo[]>>(new Map());

export function groupSubtasks(todos: Todo[]): Map<string, Todo[]> {
  const byParent = new Map<string, Todo[]>();
  for (const todo of todos) {
    if (todo.parentId === null) continue;
    const siblings = byParent.get(todo.parentId) ?? [];
    siblings.push(todo);
    byParent.set(todo.parentId, siblings);
  }
  for (const siblings of byParent.values()) siblings.sort((a, b) => a.position - b.position);
  return byParent;
}
