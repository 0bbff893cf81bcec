import { dayIn } from "@taskvault/contract/calendar";
import type { Priority, Todo, TodoSort } from "@taskvault/contract/todos";
import { dayLabel } from "./day-label.ts";

/**
 * What the todos page shows, as kept in its URL: `/?list=inbox&status=active&q=milk&tag=shop&sort=due`.
 * `q` and `tag` mean what the API's do: `q` searches title and description, `tag` keeps the todos
 * that carry exactly that tag.
 */
export type StatusFilter = "all" | "active" | "completed";
/**
 * Which todos by list: every todo (`all`), the Inbox (no list), one list by id, or by due date:
 * `today` and `upcoming`, both soonest first. The date views are made of the API's own meanings
 * (`GET /todos?due=…`), so a client of either sees the same todos: Today is `due=overdue` (open,
 * due before now) and `due=today` (due on today's date); Upcoming is `due=upcoming` (due after
 * today). Days are the user's: counted in their time zone, whatever zone the server or browser runs in.
 */
export type ListFilter = "all" | "inbox" | "today" | "upcoming" | (string & {});

export const DATE_VIEWS = new Set<string>(["today", "upcoming"]);
/** The todos assigned to the signed-in user, in every list they see (the API's `assignee=me`). */
export const ASSIGNED_VIEW = "assigned";
export type TodoView = {
  status: StatusFilter;
  q: string;
  sort: TodoSort;
  list: ListFilter;
  /** One tag, or none when absent or empty. */
  tag?: string;
};

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
  const tag = (params.get("tag") ?? "").trim().slice(0, 64);
  return {
    list: list && /^[A-Za-z0-9-]{1,64}$/.test(list) ? list : "all",
    status: status === "active" || status === "completed" ? status : "all",
    q: (params.get("q") ?? "").slice(0, 200),
    ...(tag && { tag }),
    sort: sort && SORT_VALUES.has(sort) ? (sort as TodoSort) : "position",
  };
}

/** The URL of a view; defaults are left out so the plain page stays `/`. */
export function viewHref(view: TodoView): string {
  const params = new URLSearchParams();
  if (view.list !== "all") params.set("list", view.list);
  if (view.status !== "all") params.set("status", view.status);
  if (view.q.trim()) params.set("q", view.q.trim());
  if (view.tag) params.set("tag", view.tag);
  if (view.sort !== "position") params.set("sort", view.sort);
  const query = params.toString();
  return query ? `/?${query}` : "/";
}

/** `me`: the signed-in user's id, for the Assigned to me view. */
export function visibleTodos(todos: Todo[], view: TodoView, timeZone = "UTC", now = Date.now(), me?: string): Todo[] {
  const needle = view.q.trim().toLocaleLowerCase();
  const today = dayIn(now, timeZone);
  const shown = todos.filter((todo) => {
    // Subtasks show inside their parent (progress and details), not as items of their own.
    if (todo.parentId !== null) return false;
    if (view.list === ASSIGNED_VIEW) {
      if (me === undefined || todo.assigneeId !== me) return false;
    } else if (!isInList(todo, view.list, today, timeZone, now)) return false;
    if (view.status === "active" && todo.completed) return false;
    if (view.status === "completed" && !todo.completed) return false;
    // The API's `tag`: the tag itself, not a part of one.
    if (view.tag && !todo.tags.includes(view.tag)) return false;
    if (!needle) return true;
    // The API's `q`: title and description; tags are a filter of their own (above).
    return todo.title.toLocaleLowerCase().includes(needle) || todo.description.toLocaleLowerCase().includes(needle);
  });
  // Date views read soonest first unless another order was asked for.
  const sort = DATE_VIEWS.has(view.list) && view.sort === "position" ? "due" : view.sort;
  return shown.sort(comparator(sort));
}

/** The todos carrying `tag`, in every list (a tag's chip on a todo leads there). */
export function tagHref(tag: string): string {
  return viewHref({ status: "all", q: "", sort: "position", list: "all", tag });
}

/** What manual order needs of an item: todos and lists alike. */
type Positioned = { id: string; position: number; createdAt: string };

const byPosition = (a: Positioned, b: Positioned) => a.position - b.position || a.createdAt.localeCompare(b.createdAt);

function comparator(sort: TodoSort): (a: Todo, b: Todo) => number {
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

/**
 * `today` is the day (`YYYY-MM-DD`) it is in `timeZone`. Today holds what is due today, done or
 * not (the API's `due=today`), and what is overdue (`due=overdue`: still open and due before now);
 * a todo done last week is not today's business.
 */
export function isInList(
  todo: Pick<Todo, "listId" | "dueAt" | "completed">,
  list: ListFilter,
  today: string,
  timeZone: string,
  now = Date.now(),
): boolean {
  if (list === "all") return true;
  if (list === "inbox") return todo.listId === null;
  if (list === "today" || list === "upcoming") {
    if (todo.dueAt === null) return false;
    const day = dayIn(Date.parse(todo.dueAt), timeZone);
    if (list === "upcoming") return day > today;
    return day === today || isOverdue(todo, now);
  }
  return todo.listId === list;
}

/** Open todos per list id (`inbox` for those without a list, plus `today` and `upcoming`), for the sidebar. */
export function activeCountsByList(todos: Todo[], timeZone = "UTC", now = Date.now()): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const today = dayIn(now, timeZone);
  for (const todo of todos) {
    if (todo.completed) continue;
    add(todo.listId ?? "inbox");
    if (isInList(todo, "today", today, timeZone, now)) add("today");
    else if (isInList(todo, "upcoming", today, timeZone, now)) add("upcoming");
  }
  return counts;
}

export type DayGroup = { key: string; label: string; todos: Todo[] };

/**
 * A date view as headed groups, in the order given within each: Today has "Overdue" (the API's
 * `due=overdue`: open and due before now) above "Today" (the rest of `due=today`); Upcoming has
 * one group per day ("Tomorrow", "Wed 27 Nov" …).
 */
export function groupByDay(todos: Todo[], timeZone: string, now = Date.now()): DayGroup[] {
  const today = dayIn(now, timeZone);
  const groups = new Map<string, DayGroup>();
  for (const todo of todos) {
    if (todo.dueAt === null) continue;
    const day = dayIn(Date.parse(todo.dueAt), timeZone);
    const key = isOverdue(todo, now) ? "overdue" : day;
    let group = groups.get(key);
    if (!group) {
      group = { key, label: key === "overdue" ? "Overdue" : dayLabel(day, today), todos: [] };
      groups.set(key, group);
    }
    group.todos.push(todo);
  }
  // Days compare as strings; "overdue" goes first whatever the alphabet says.
  return [...groups.values()].sort((a, b) =>
    a.key === "overdue" ? -1 : b.key === "overdue" ? 1 : a.key.localeCompare(b.key),
  );
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
export function positionForMove(items: Positioned[], movingId: string, targetIndex: number): number | null {
  const ordered = [...items].sort(byPosition).filter((item) => item.id !== movingId);
  if (ordered.length === items.length) return null;
  const index = Math.max(0, Math.min(targetIndex, ordered.length));
  const before = ordered[index - 1];
  const after = ordered[index];
  if (!before && !after) return 0;
  if (!before) return (after as Positioned).position - 1;
  if (!after) return before.position + 1;
  return (before.position + after.position) / 2;
}

/** The position that puts `movingId` just before or after `anchorId` in manual order (todos or lists). */
export function positionNextTo(
  items: Positioned[],
  movingId: string,
  anchorId: string,
  side: "before" | "after",
): number | null {
  const ordered = [...items].sort(byPosition).filter((item) => item.id !== movingId);
  const anchorIndex = ordered.findIndex((item) => item.id === anchorId);
  if (anchorIndex === -1) return null;
  return positionForMove(items, movingId, side === "before" ? anchorIndex : anchorIndex + 1);
}

/** The position that moves `movingId` one place up or down among `items`; null at either end. */
export function positionOneStep(items: Positioned[], movingId: string, direction: "up" | "down"): number | null {
  const ordered = [...items].sort(byPosition);
  const index = ordered.findIndex((item) => item.id === movingId);
  const anchor = index === -1 ? undefined : ordered[direction === "up" ? index - 1 : index + 1];
  return anchor ? positionNextTo(items, movingId, anchor.id, direction === "up" ? "before" : "after") : null;
}
