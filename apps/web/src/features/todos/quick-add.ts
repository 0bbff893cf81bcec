import type { ParsedTodo } from "@taskvault/contract/todos";

/** One thing the quick-add field understood, shown as a chip before Enter. */
export type QuickAddChip = { kind: "due" | "list" | "tag" | "priority" | "repeat"; label: string };

const DAY_NAMES: Record<string, string> = {
  MO: "Monday",
  TU: "Tuesday",
  WE: "Wednesday",
  TH: "Thursday",
  FR: "Friday",
  SA: "Saturday",
  SU: "Sunday",
};
const UNITS: Record<string, string> = { DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year" };

/** `FREQ=WEEKLY;INTERVAL=2` → "every 2 weeks"; anything unusual falls back to "repeats". */
export function describeRecurrence(rule: string): string {
  const parts = new Map(
    rule
      .replace(/^RRULE:/i, "")
      .split(";")
      .map((part) => part.split("=") as [string, string]),
  );
  const unit = UNITS[parts.get("FREQ") ?? ""];
  if (!unit) return "repeats";
  const interval = Number(parts.get("INTERVAL") ?? 1);
  const byDay = parts.get("BYDAY");
  if (byDay === "MO,TU,WE,TH,FR") return "every weekday";
  let text = interval > 1 ? `every ${interval} ${unit}s` : `every ${unit}`;
  if (byDay && unit === "week") {
    text += ` on ${byDay
      .split(",")
      .map((day) => DAY_NAMES[day] ?? day)
      .join(", ")}`;
  }
  const monthDay = parts.get("BYMONTHDAY");
  if (monthDay && unit === "month") text += ` on the ${ordinal(Number(monthDay))}`;
  return text;
}

function ordinal(day: number): string {
  const suffix =
    day % 10 === 1 && day !== 11
      ? "st"
      : day % 10 === 2 && day !== 12
        ? "nd"
        : day % 10 === 3 && day !== 13
          ? "rd"
          : "th";
  return `${day}${suffix}`;
}

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
