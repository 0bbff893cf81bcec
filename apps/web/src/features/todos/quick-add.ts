import type { List } from "@taskvault/contract/lists";
import type { ParsedTodo } from "@taskvault/contract/todos";
import { describeRecurrence } from "./repeat-rule.ts";

/** One thing the quick-add field understood, shown as a chip before Enter. */
export type QuickAddChip = { kind: "due" | "list" | "tag" | "priority" | "repeat"; label: string };

const dueFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  month: "short",
  day: "numeric",
  hour: "numeric",
  minute: "2-digit",
});

/** The chips for what `parsed` took out of the text; none when the text is just a title. */
export function chipsOf(
  parsed: ParsedTodo,
  formatDate: (iso: string) => string = (iso) => dueFormat.format(new Date(iso)),
): QuickAddChip[] {
  const chips: QuickAddChip[] = [];
  if (parsed.dueAt) chips.push({ kind: "due", label: `Due ${formatDate(parsed.dueAt)}` });
  if (parsed.recurrence) chips.push({ kind: "repeat", label: `Repeats ${describeRecurrence(parsed.recurrence)}` });
  if (parsed.listName) chips.push({ kind: "list", label: `List ${parsed.listName}` });
  for (const tag of parsed.tags) chips.push({ kind: "tag", label: `Tag ${tag}` });
  if (parsed.priority !== "none") chips.push({ kind: "priority", label: `Priority ${parsed.priority}` });
  return chips;
}

/**
 * The list a quick-add `#Name` puts a todo into: one the user may add to, matched in any case. Their
 * own list first, then one shared with them as editor; a list they only view is never it (adding
 * would be refused), so the caller makes their own of that name instead. Names are unique per
 * owner only: two people's "Groceries" can both be shared with the user.
 */
export function writableListNamed(lists: Pick<List, "id" | "name" | "role">[], name: string): string | null {
  const wanted = name.toLocaleLowerCase();
  const named = lists.filter((list) => list.name.toLocaleLowerCase() === wanted);
  return (named.find((list) => list.role === "owner") ?? named.find((list) => list.role === "editor"))?.id ?? null;
}
