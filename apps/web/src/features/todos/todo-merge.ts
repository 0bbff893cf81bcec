import type { Todo, UpdateTodo } from "@taskvault/contract/todos";

// The store's pure reconciliation rules (use-todo-store.ts): what the screen shows when the
// server's truth arrives while the user is still changing things. No React here, so each rule is
// unit-tested on its own.

/**
 * The whole list after a gap, merged so nothing the user is doing right now flickers: todos with
 * calls in flight keep their optimistic state (and stay gone if being deleted), a newer version
 * already on screen wins, and placeholders of todos still being created stay until created.
 */
export function mergeReloaded(current: Todo[], fresh: Todo[], pending: Map<string, unknown>): Todo[] {
  const shown = new Map(current.map((todo) => [todo.id, todo]));
  const merged: Todo[] = [];
  for (const todo of fresh) {
    const mine = shown.get(todo.id);
    if (pending.has(todo.id)) {
      if (mine) merged.push(mine);
      continue;
    }
    merged.push(mine && mine.version > todo.version ? mine : todo);
  }
  const arrived = new Set(fresh.filter((todo) => !shown.has(todo.id)).map((todo) => todo.title));
  const placeholders = current.filter((todo) => todo.id.startsWith("temp-") && !arrived.has(todo.title));
  return [...merged, ...placeholders];
}

/** A todo with a change applied optimistically; completing stamps the time, re-opening clears it. */
export function applyChanges(todo: Todo, changes: UpdateTodo): Todo {
  const next = { ...todo, ...changes } as Todo;
  if (changes.completed !== undefined && changes.completed !== todo.completed) {
    next.completedAt = changes.completed ? new Date().toISOString() : null;
  }
  return next;
}

/** The fields of `source` named by `changes`. */
export function pick(source: Todo, changes: UpdateTodo): Partial<Todo> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(changes)) picked[key] = source[key as keyof Todo];
  return picked as Partial<Todo>;
}

/**
 * A todo the live stream says changed, placed into what is shown: an older version never replaces
 * a newer one, and the echo of a todo this page is still creating takes its placeholder's place,
 * so there is never a moment with two of it on screen.
 */
export function applyIncoming(current: Todo[], incoming: Todo): Todo[] {
  const index = current.findIndex((todo) => todo.id === incoming.id);
  if (index === -1) {
    const placeholder = current.find((todo) => todo.id.startsWith("temp-") && todo.title === incoming.title);
    if (placeholder) return current.map((todo) => (todo.id === placeholder.id ? incoming : todo));
    return [...current, incoming];
  }
  if ((current[index]?.version ?? 0) > incoming.version) return current;
  return current.map((todo) => (todo.id === incoming.id ? incoming : todo));
}

/** A created todo replacing its placeholder; the live stream may have delivered it first. */
export function settleCreated(current: Todo[], placeholderId: string, created: Todo): Todo[] {
  if (current.some((todo) => todo.id === created.id)) return current.filter((todo) => todo.id !== placeholderId);
  if (!current.some((todo) => todo.id === placeholderId)) return [...current, created];
  return current.map((todo) => (todo.id === placeholderId ? created : todo));
}
