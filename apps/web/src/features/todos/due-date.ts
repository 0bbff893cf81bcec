import { dayIn, instantAt, timeIn } from "@taskvault/contract/calendar";

/**
 * A due date without a time is the end of that day in the user's zone; the API's quick add uses
 * 23:59 for the same thing. So a due time of 23:59 reads as "no time".
 */
const END_OF_DAY = "23:59:59";

/** `date` (`YYYY-MM-DD`) and optional `time` (`HH:MM`) as the user picked them, in `timeZone`. */
export function dueAtFromInputs(date: string, time: string, timeZone: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const at = /^\d{2}:\d{2}$/.test(time) ? time : END_OF_DAY;
  return new Date(instantAt(date, at, timeZone)).toISOString();
}

export function dateInputFromDueAt(dueAt: string | null, timeZone: string): string {
  return dueAt ? dayIn(Date.parse(dueAt), timeZone) : "";
}

/** The due time, or "" for a todo due on a day as a whole. */
export function timeInputFromDueAt(dueAt: string | null, timeZone: string): string {
  if (!dueAt) return "";
  const time = timeIn(Date.parse(dueAt), timeZone);
  return time === "23:59" ? "" : time;
}

/** `<input type="datetime-local">` speaks wall time without a zone: the user's zone gives it one. */
export function localInputFromIso(iso: string | null, timeZone: string): string {
  if (!iso) return "";
  const instant = Date.parse(iso);
  return `${dayIn(instant, timeZone)}T${timeIn(instant, timeZone)}`;
}

export function isoFromLocalInput(value: string, timeZone: string): string | null {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value);
  return match ? new Date(instantAt(match[1] as string, match[2] as string, timeZone)).toISOString() : null;
}

const dueFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * "Nov 26", or "Nov 26, 5:00 PM" when it is due at a time (with `withWeekday`: "Thu, Nov 26"), in
 * the user's zone and the browser's locale.
 */
export function formatDue(dueAt: string, timeZone: string, { withWeekday = false } = {}): string {
  const hasTime = timeInputFromDueAt(dueAt, timeZone) !== "";
  const key = `${timeZone}|${hasTime}|${withWeekday}`;
  let format = dueFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(undefined, {
      timeZone,
      month: "short",
      day: "numeric",
      ...(withWeekday && { weekday: "short" }),
      ...(hasTime && { hour: "numeric", minute: "2-digit" }),
    });
    dueFormats.set(key, format);
  }
  return format.format(Date.parse(dueAt));
}
