import { monthlyOnDay } from "@taskvault/contract/recurrence";

/**
 * The custom repeats the details panel can edit: every N days, weeks (on chosen weekdays), months
 * or years, i.e. RRULEs made only of FREQ, INTERVAL and a weekly BYDAY of plain days. Other rules
 * ("every month on the 15th" from quick add) are kept as they are, not rewritten.
 */
export const REPEAT_UNITS = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"] as const;
export type RepeatUnit = (typeof REPEAT_UNITS)[number];

export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type CustomRepeat = { every: number; unit: RepeatUnit; weekdays: Weekday[] };

const isUnit = (value: string): value is RepeatUnit => (REPEAT_UNITS as readonly string[]).includes(value);
const isWeekday = (value: string): value is Weekday => (WEEKDAYS as readonly string[]).includes(value);

/** The rule as the custom editor's fields, or null when it says more than they can show. */
export function customRepeatOf(rule: string): CustomRepeat | null {
  const parts = new Map<string, string>();
  for (const part of rule.toUpperCase().split(";")) {
    const [key = "", value = ""] = part.split("=");
    if (key !== "FREQ" && key !== "INTERVAL" && key !== "BYDAY") return null;
    parts.set(key, value);
  }
  const unit = parts.get("FREQ") ?? "";
  const every = Number(parts.get("INTERVAL") ?? "1");
  const days = parts.get("BYDAY")?.split(",") ?? [];
  if (!isUnit(unit) || !Number.isInteger(every) || every < 1) return null;
  if (!days.every(isWeekday) || (days.length > 0 && unit !== "WEEKLY")) return null;
  return { every, unit, weekdays: WEEKDAYS.filter((day) => days.includes(day)) };
}

/** The fields as an RRULE, leaving out what is the default (INTERVAL=1, no weekdays). */
export function ruleOf({ every, unit, weekdays }: CustomRepeat): string {
  let rule = `FREQ=${unit}`;
  if (every > 1) rule += `;INTERVAL=${Math.floor(every)}`;
  if (unit === "WEEKLY" && weekdays.length > 0) {
    rule += `;BYDAY=${WEEKDAYS.filter((day) => weekdays.includes(day)).join(",")}`;
  }
  return rule;
}

const DAY_NAMES: Record<string, string> = {
  MO: "Monday",
  TU: "Tuesday",
  WE: "Wednesday",
  TH: "Thursday",
  FR: "Friday",
  SA: "Saturday",
  SU: "Sunday",
};
const UNIT_WORDS: Record<string, string> = { DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year" };
/** The parts describeRecurrence can put in words; a rule with others is only said to repeat. */
const DESCRIBED_PARTS = new Set(["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYSETPOS", "COUNT", "UNTIL", "WKST"]);

/**
 * A rule in words, as the row and the quick-add chips show it: `FREQ=DAILY;INTERVAL=3` → "every 3
 * days", `FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1` → "every month on the 31st or last
 * day". Anything it cannot say exactly falls back to "repeats" rather than to something wrong.
 */
export function describeRecurrence(rule: string): string {
  const parts = new Map(
    rule
      .replace(/^RRULE:/i, "")
      .toUpperCase()
      .split(";")
      .map((part) => part.split("=") as [string, string]),
  );
  const unit = UNIT_WORDS[parts.get("FREQ") ?? ""];
  if (!unit || [...parts.keys()].some((key) => !DESCRIBED_PARTS.has(key))) return "repeats";
  const interval = Number(parts.get("INTERVAL") ?? 1);
  if (!Number.isInteger(interval) || interval < 1) return "repeats";
  const until = parts.has("UNTIL") ? untilDay(parts.get("UNTIL") ?? "") : undefined;
  if (until === null) return "repeats";
  const byDay = parts.get("BYDAY");
  const monthDays = parts.get("BYMONTHDAY")?.split(",").map(Number);
  const setPos = parts.get("BYSETPOS");
  if (byDay && (unit !== "week" || !byDay.split(",").every((day) => day in DAY_NAMES))) return "repeats";
  if (monthDays && unit !== "month") return "repeats";
  let text = interval > 1 ? `every ${interval} ${unit}s` : `every ${unit}`;
  if (byDay === "MO,TU,WE,TH,FR" && interval === 1) text = "every weekday";
  else if (byDay)
    text += ` on ${byDay
      .split(",")
      .map((day) => DAY_NAMES[day])
      .join(", ")}`;
  if (monthDays) {
    const monthEnd = setPos === "-1" && monthDays.every((day, index) => day === 28 + index);
    if (setPos !== undefined && !monthEnd) return "repeats";
    if (monthEnd) text += ` on the ${ordinal(monthDays.at(-1)!)} or last day`;
    else if (monthDays.length === 1 && monthDays[0] === -1) text += " on the last day";
    else if (monthDays.every((day) => day > 0)) text += ` on the ${monthDays.map(ordinal).join(", ")}`;
    else return "repeats";
  } else if (setPos !== undefined) return "repeats";
  const count = parts.get("COUNT");
  if (count) text += `, ${count} more time${count === "1" ? "" : "s"}`;
  if (until) text += `, until ${until}`;
  return text;
}

/**
 * UNTIL as written: a date (`20261231` → `2026-12-31`), or a UTC time, said to be one (`…T225959Z` →
 * `2026-12-31 22:59 UTC`), since without the user's zone its day may not be theirs. Null when it is
 * neither.
 */
function untilDay(value: string): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})\d{2}(Z?))?$/.exec(value);
  if (!match) return null;
  const [, year, month, day, hour, minute, utc] = match;
  const date = `${year}-${month}-${day}`;
  if (hour === undefined) return date;
  return `${date} ${hour}:${minute}${utc ? " UTC" : ""}`;
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

/**
 * A monthly rule without a day of its own ("every month", "every 2 months") repeats on its start's
 * day, and RFC 5545 skips months that lack it: from the 31st it would jump from January to March.
 * Started on the 29th–31st, it is written as "that day, or the last day of shorter months" in the
 * standard's words instead (decision 021). `dueDay` is the due date as `YYYY-MM-DD`.
 */
export function keepingMonthEnds(rule: string, dueDay: string): string {
  const match = /^FREQ=MONTHLY(?:;INTERVAL=(\d+))?$/.exec(rule);
  const day = Number(dueDay.slice(8, 10));
  if (!match || !(day > 28)) return rule;
  return monthlyOnDay(day, Number(match[1] ?? 1));
}
