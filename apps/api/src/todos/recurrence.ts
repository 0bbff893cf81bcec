import { floatingInstant, type WallTime, wallClock, wallOfFloating, zonedInstant } from "@taskvault/contract/calendar";
import type { RecurFrom } from "@taskvault/contract/todos";
import type { Options } from "rrule";
import rrule from "rrule";
import { validationError } from "../errors.ts";

// rrule ships CommonJS whose named exports Node cannot see from ESM: take them off the default.
const { RRule } = rrule;

/**
 * Recurrence is computed by the rrule library on "floating" times: the todo's wall-clock date and
 * time in its zone, written as if it were UTC. The result is turned back into an instant in the
 * zone, so "every day at 9:00" stays 9:00 on both sides of a daylight-saving change. Rules are
 * evaluated exactly as RFC 5545 says (a month without the day is skipped) and never rewritten:
 * other clients evaluate the same rule and must predict the same dates (decision 021).
 */

const WEEKDAY = "(?:MO|TU|WE|TH|FR|SA|SU)";
const PARTS: Record<string, RegExp> = {
  FREQ: /^(?:HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)$/,
  INTERVAL: /^[1-9]\d{0,2}$/,
  COUNT: /^[1-9]\d{0,3}$/,
  UNTIL: /^\d{8}(?:T\d{6}Z?)?$/,
  BYDAY: new RegExp(`^[+-]?\\d{0,2}${WEEKDAY}(?:,[+-]?\\d{0,2}${WEEKDAY})*$`),
  BYMONTHDAY: /^-?\d{1,2}(?:,-?\d{1,2})*$/,
  BYMONTH: /^\d{1,2}(?:,\d{1,2})*$/,
  BYSETPOS: /^-?\d{1,3}(?:,-?\d{1,3})*$/,
  WKST: new RegExp(`^${WEEKDAY}$`),
};

const invalid = (message: string) => validationError("recurrence", message);
const numbers = (value: string) => value.split(",").map(Number);

/**
 * Checks a rule more strictly than rrule does (it silently ignores much), and refuses rules that
 * never happen: rrule would search for an occurrence until the year 9999.
 */
export function checkRecurrence(rule: string): void {
  const parts = new Map<string, string>();
  for (const part of rule.split(";")) {
    const [name = "", value = ""] = part.split("=");
    const pattern = PARTS[name];
    if (!pattern) throw invalid(`${name} is not supported in a recurrence`);
    if (parts.has(name)) throw invalid(`${name} appears twice`);
    if (!pattern.test(value)) throw invalid(`${name}=${value} is not valid`);
    parts.set(name, value);
  }
  const freq = parts.get("FREQ");
  if (!freq) throw invalid("A recurrence needs a FREQ");
  if (parts.has("COUNT") && parts.has("UNTIL")) throw invalid("Use COUNT or UNTIL, not both");
  const by = [...parts.keys()].filter((name) => name.startsWith("BY"));
  if (freq === "HOURLY" && by.length > 0) throw invalid("An hourly recurrence takes no BY… parts");
  if (parts.has("BYSETPOS") && by.length === 1) throw invalid("BYSETPOS needs another BY… part");
  const monthDays = numbers(parts.get("BYMONTHDAY") ?? "");
  if (parts.has("BYMONTHDAY") && monthDays.some((day) => day === 0 || Math.abs(day) > 31)) {
    throw invalid("BYMONTHDAY values are 1 to 31 or -31 to -1");
  }
  const months = numbers(parts.get("BYMONTH") ?? "");
  if (parts.has("BYMONTH") && months.some((month) => month < 1 || month > 12)) {
    throw invalid("BYMONTH values are 1 to 12");
  }
  if (parts.has("BYSETPOS") && numbers(parts.get("BYSETPOS")!).some((pos) => pos === 0 || Math.abs(pos) > 366)) {
    throw invalid("BYSETPOS values are 1 to 366 or -366 to -1");
  }
  for (const day of (parts.get("BYDAY") ?? "").split(",").filter(Boolean)) {
    const ordinal = Number(day.slice(0, -2) || "0");
    if (ordinal === 0 && /\d/.test(day)) throw invalid("A BYDAY ordinal cannot be 0");
    if (ordinal !== 0 && freq !== "MONTHLY" && freq !== "YEARLY") {
      throw invalid("BYDAY ordinals (like 1MO) need FREQ=MONTHLY or FREQ=YEARLY");
    }
    if (Math.abs(ordinal) > (freq === "MONTHLY" ? 5 : 53)) throw invalid(`${day} is out of range`);
  }
  let options: Partial<Options>;
  try {
    options = RRule.parseString(rule);
  } catch {
    throw invalid("The recurrence is not a valid RRULE");
  }
  // 30 years just below rrule's limit cover every kind of year (weekday of 1 January × leap):
  // a rule with no occurrence there has none anywhere, and the search stays short.
  const probe = floating({ year: 9968, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
  const { count: _, until: __, ...withoutEnd } = options;
  if (!new RRule({ ...withoutEnd, dtstart: probe }).after(probe, true)) {
    throw invalid("This recurrence never happens");
  }
}

const floating = (wall: WallTime) => new Date(floatingInstant(wall));
const wallOf = (date: Date): WallTime => wallOfFloating(date.getTime());

/**
 * The rule's options for evaluation on floating wall time, and the instant a UTC UNTIL stands for.
 * RFC 5545 §3.3.10: with a zoned start, UNTIL is a UTC instant that bounds the occurrences as they
 * happen, so it cannot be compared with wall readings (in Berlin, 09:30 local is 08:30Z and falls
 * before UNTIL=…T090000Z). It is taken out and checked against each occurrence's instant instead.
 * An UNTIL without Z is a wall reading in the todo's zone and bounds the floating series as it is.
 */
function evaluated(rule: string): { options: Partial<Options>; utcUntil: Date | null } {
  const { count: _, ...options } = RRule.parseString(rule);
  if (!/(?:^|;)UNTIL=\d{8}T\d{6}Z(?:;|$)/.test(rule)) return { options, utcUntil: null };
  const { until, ...withoutUntil } = options;
  return { options: withoutUntil, utcUntil: until ?? null };
}

/** The instant a floating occurrence happens in the zone, or null when it is past a UTC UNTIL. */
function occurrenceInstant(occurrence: Date, timeZone: string, utcUntil: Date | null, milliseconds = 0) {
  const instant = zonedInstant(timeZone, wallOf(occurrence), milliseconds);
  return utcUntil && instant.getTime() > utcUntil.getTime() ? null : instant;
}

export interface RecurringTodo {
  recurrence: string;
  recurFrom: RecurFrom;
  timezone: string;
  dueAt: Date | null;
  remindAt: Date | null;
}

export interface NextInstance {
  dueAt: Date;
  remindAt: Date | null;
  /** The rule the next instance carries: the same, with COUNT one less when it has one. */
  recurrence: string;
}

/**
 * When the next instance of a recurring todo is due: the rule's next occurrence after the due date
 * (`recurFrom=due`), or after the completion day at the due time of day (`recurFrom=completion`,
 * and whenever there is no due date). Null when the rule has ended (COUNT used up, past UNTIL).
 */
export function nextInstance(todo: RecurringTodo, completedAt: Date): NextInstance | null {
  const options = RRule.parseString(todo.recurrence);
  if (options.count !== undefined && options.count !== null && options.count <= 1) return null;
  const fromCompletion = todo.recurFrom === "completion" || !todo.dueAt;
  const due = todo.dueAt ? wallClock(todo.timezone, todo.dueAt.getTime()) : null;
  const completed = wallClock(todo.timezone, completedAt.getTime());
  const start: WallTime =
    fromCompletion && due
      ? { ...completed, hour: due.hour, minute: due.minute, second: due.second }
      : (due ?? completed);
  const { options: rule, utcUntil } = evaluated(todo.recurrence);
  const dtstart = floating(start);
  const next = new RRule({ ...rule, dtstart }).after(dtstart, false);
  if (!next) return null;
  const milliseconds = (todo.dueAt ?? completedAt).getUTCMilliseconds();
  const dueAt = occurrenceInstant(next, todo.timezone, utcUntil, milliseconds);
  if (!dueAt) return null;
  const shift = todo.dueAt ? dueAt.getTime() - todo.dueAt.getTime() : null;
  return {
    dueAt,
    remindAt: todo.remindAt && shift !== null ? new Date(todo.remindAt.getTime() + shift) : null,
    // The user's rule is kept as written; only COUNT counts down, since each instance starts the
    // series again from its own due date.
    recurrence: options.count ? withCount(todo.recurrence, options.count - 1) : todo.recurrence,
  };
}

/** The rule with its COUNT replaced, every other part as written. */
const withCount = (rule: string, count: number) => rule.replace(/(^|;)COUNT=\d+/, `$1COUNT=${count}`);

/**
 * The first occurrence at or after `notBefore`, for a series starting at `start` (wall time in the
 * zone): the due date a quick-add line like "every month on the 1st" gets.
 */
export function firstOccurrence(rule: string, timeZone: string, start: WallTime, notBefore: Date): Date | null {
  const { options, utcUntil } = evaluated(rule);
  const dtstart = floating(start);
  const earliest = floating(wallClock(timeZone, notBefore.getTime()));
  const first = new RRule({ ...options, dtstart }).after(
    new Date(Math.max(earliest.getTime(), dtstart.getTime())),
    true,
  );
  return first ? occurrenceInstant(first, timeZone, utcUntil) : null;
}
