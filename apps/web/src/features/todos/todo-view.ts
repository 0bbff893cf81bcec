import type { Priority, Todo, TodoSort } from "@taskvault/contract/todos";

/** What the todos page shows, as kept in its URL: `/?status=active&q=milk&sort=due`. */
export type StatusFilter = "all" | "active" | "completed";
export type TodoView = { status: StatusFilter; q: string; sort: TodoSort };

export const STATUS_FILTERS: { value: StatusFilter; label: string }[] = [
  { value: "all", label: "All" },
  { value: "active", label: "Active" },
  { value: "completed", label: "Completed" },
];

export const SORTS: { value: TodoSort; label: string }[] = [
  { value: "position", label: "My order" },
  { value: "created", label: "Oldest first" },
  { value: "-created", label: "Newest first" },
  { value: "due", label: "Due date" },
  { value: "priority", label: "Priority" },
  { value: "title", label: "Title" },
];

const SORT_VALUES = new Set<string>(SORTS.map((sort) => sort.value));
const PRIORITY_RANK: Record<Priority, number> = { high: 0, medium: 1, low: 2, none: 3 };

export function parseView(params: { get(name: string): string | null }): TodoView {
  const status = params.get("status");
  const sort = params.get("sort");
  return {
    status: status === "active" || status === "completed" ? status : "all",
    q: (params.get("q") ?? "").slice(0, 200),
    sort: sort && SORT_VALUES.has(sort) ? (sort as TodoSort) : "position",
  };
}

/** The URL of a view; defaults are left out so the plain page stays `/`. */
export function viewHref(view: TodoView): string {
  const params = new URLSearchParams();
  if (view.status !== "all") params.set("status", view.status);
  if (view.q.trim()) params.set("q", view.q.trim());
  if (view.sort !== "position") params.set("sort", view.sort);
  const query = params.toString();
  return query ? `/?${query}` : "/";
}

export function visibleTodos(todos: Todo[], view: TodoView): Todo[] {
  const needle = view.q.trim().toLocaleLowerCase();
  const shown = todos.filter((todo) => {
    if (view.status === "active" && todo.completed) return false;
    if (view.status === "completed" && !todo.completed) return false;
    if (!needle) return true;
    return (
      todo.title.toLocaleLowerCase().includes(needle) ||
      todo.description.toLocaleLowerCase().includes(needle) ||
      todo.tags.some((tag) => tag.toLocaleLowerCase().includes(needle))
    );
  });
  return shown.sort(comparator(view.sort));
}

function comparator(sort: TodoSort): (a: Todo, b: Todo) => number {
  const byPosition = (a: Todo, b: Todo) => a.position - b.position || a.createdAt.localeCompare(b.createdAt);
  switch (sort) {
    case "created":
      return (a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
    case "-created":
      return (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id);
    case "due":
      // Undated todos last: they are the least urgent.
      return (a, b) => (a.dueAt ?? "\uffff").localeCompare(b.dueAt ?? "\uffff") || byPosition(a, b);
    case "priority":
      return (a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] || byPosition(a, b);
    case "title":
      return (a, b) => a.title.localeCompare(b.title, undefined, { sensitivity: "base" }) || byPosition(a, b);
    default:
      return byPosition;
  }
}

export function countActive(todos: Todo[]): number {
  return todos.reduce((count, todo) => count + (todo.completed ? 0 : 1), 0);
}

export function isOverdue(todo: Pick<Todo, "dueAt" | "completed">, now = Date.now()): boolean {
  return !todo.completed && todo.dueAt !== null && Date.parse(todo.dueAt) < now;
}

/**
 * The position that puts `movingId` at `targetIndex` of the list in manual order: the midpoint
 * of its new neighbours, so only the moved todo changes.
 */
export function positionForMove(todos: Todo[], movingId: string, targetIndex: number): number | null {
  const ordered = [...todos].sort(comparator("position")).filter((todo) => todo.id !== movingId);
  if (ordered.length === todos.length) return null;
  const index = Math.max(0, Math.min(targetIndex, ordered.length));
  const before = ordered[index - 1];
  const after = ordered[index];
  if (!before && !after) return 0;
  if (!before) return (after as Todo).position - 1;
  if (!after) return before.position + 1;
  return (before.position + after.position) / 2;
}

/** The position that puts `movingId` just before or after `anchorId` in manual order. */
export function positionNextTo(
  todos: Todo[],
  movingId: string,
  anchorId: string,
  side: "before" | "after",
): number | null {
  const ordered = [...todos].sort(comparator("position")).filter((todo) => todo.id !== movingId);
  const anchorIndex = ordered.findIndex((todo) => todo.id === anchorId);
  if (anchorIndex === -1) return null;
  return positionForMove(todos, movingId, side === "before" ? anchorIndex : anchorIndex + 1);
}
