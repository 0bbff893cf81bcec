import type { Priority, Todo, TodoSort } from "@taskvault/contract/todos";

/** What the todos page shows, as kept in its URL: `/?list=inbox&status=active&q=milk&sort=due`. */
export type StatusFilter = "all" | "active" | "completed";
/**
 * Which todos by list: every todo (`all`), the Inbox (no list), one list by id, or by due date:
 * `today` (due today or overdue) and `upcoming` (due after today), both soonest first.
 */
export type ListFilter = "all" | "inbox" | "today" | "upcoming" | (string & {});

export const DATE_VIEWS = new Set<string>(["today", "upcoming"]);

/** The end of the viewer's local day: "today" is everything due before it. */
export function endOfToday(now = Date.now()): number {
  const date = new Date(now);
  date.setHours(23, 59, 59, 999);
  return date.getTime();
}
export type TodoView = { status: StatusFilter; q: string; sort: TodoSort; list: ListFilter };

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
  const list = params.get("list");
  return {
    list: list && /^[A-Za-z0-9-]{1,64}$/.test(list) ? list : "all",
    status: status === "active" || status === "completed" ? status : "all",
    q: (params.get("q") ?? "").slice(0, 200),
    sort: sort && SORT_VALUES.has(sort) ? (sort as TodoSort) : "position",
  };
}

/** The URL of a view; defaults are left out so the plain page stays `/`. */
export function viewHref(view: TodoView): string {
  const params = new URLSearchParams();
  if (view.list !== "all") params.set("list", view.list);
  if (view.status !== "all") params.set("status", view.status);
  if (view.q.trim()) params.set("q", view.q.trim());
  if (view.sort !== "position") params.set("sort", view.sort);
  const query = params.toString();
  return query ? `/?${query}` : "/";
}

export function visibleTodos(todos: Todo[], view: TodoView, now = Date.now()): Todo[] {
  const needle = view.q.trim().toLocaleLowerCase();
  const shown = todos.filter((todo) => {
    // Subtasks show inside their parent (progress and details), not as items of their own.
    if (todo.parentId !== null) return false;
    if (!isInList(todo, view.list, now)) return false;
    if (view.status === "active" && todo.completed) return false;
    if (view.status === "completed" && !todo.completed) return false;
    if (!needle) return true;
    return (
      todo.title.toLocaleLowerCase().includes(needle) ||
      todo.description.toLocaleLowerCase().includes(needle) ||
      todo.tags.some((tag) => tag.toLocaleLowerCase().includes(needle))
    );
  });
  // Date views read soonest first unless another order was asked for.
  const sort = DATE_VIEWS.has(view.list) && view.sort === "position" ? "due" : view.sort;
  return shown.sort(comparator(sort));
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

export function isInList(todo: Pick<Todo, "listId" | "dueAt">, list: ListFilter, now = Date.now()): boolean {
  if (list === "all") return true;
  if (list === "inbox") return todo.listId === null;
  if (list === "today") return todo.dueAt !== null && Date.parse(todo.dueAt) <= endOfToday(now);
  if (list === "upcoming") return todo.dueAt !== null && Date.parse(todo.dueAt) > endOfToday(now);
  return todo.listId === list;
}

/** Open todos per list id (`inbox` for those without a list, plus `today` and `upcoming`), for the sidebar. */
export function activeCountsByList(todos: Todo[], now = Date.now()): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const todo of todos) {
    if (todo.completed) continue;
    add(todo.listId ?? "inbox");
    if (isInList(todo, "today", now)) add("today");
    else if (isInList(todo, "upcoming", now)) add("upcoming");
  }
  return counts;
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
