/**
 * Calendar days and wall-clock times in an IANA time zone, the user's rather than the machine's:
 * the server renders in its own zone and the browser may be somewhere else again, so every day
 * boundary is computed with `Intl.DateTimeFormat({ timeZone })`, never with `Date#setHours`.
 * A day is written `YYYY-MM-DD`, so days compare as strings.
 */

const HOUR = 3_600_000;
const wallFormats = new Map<string, Intl.DateTimeFormat>();

function wallFormat(timeZone: string): Intl.DateTimeFormat {
  let format = wallFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    wallFormats.set(timeZone, format);
  }
  return format;
}

/** What the clock on the wall in `timeZone` reads at `instant`, as if that reading were UTC. */
function wallClock(instant: number, timeZone: string): number {
  const part: Record<string, number> = {};
  for (const { type, value } of wallFormat(timeZone).formatToParts(instant)) part[type] = Number(value);
  const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = part;
  return Date.UTC(year, month - 1, day, hour % 24, minute, second) + (((instant % 1000) + 1000) % 1000);
}

/** How far the zone's clock is ahead of UTC at `instant`, in milliseconds. */
function offsetAt(instant: number, timeZone: string): number {
  return wallClock(instant, timeZone) - instant;
}

/** The calendar day (`YYYY-MM-DD`) in `timeZone` at `instant`. */
export function dayIn(instant: number, timeZone: string): string {
  return new Date(wallClock(instant, timeZone)).toISOString().slice(0, 10);
}

/** The wall-clock time (`HH:MM`) in `timeZone` at `instant`. */
export function timeIn(instant: number, timeZone: string): string {
  return new Date(wallClock(instant, timeZone)).toISOString().slice(11, 16);
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * The instant at which the clock in `timeZone` reads `day` `time` (`HH:MM` or `HH:MM:SS`). A time
 * that happens twice (clocks going back) is its first occurrence; one that never happens (clocks
 * going forward) is read with the offset from before the change, so 02:30 becomes 03:30 — the
 * rule of RFC 5545 and of Temporal's "compatible" disambiguation.
 */
export function instantAt(day: string, time: string, timeZone: string): number {
  const wall = Date.parse(`${day}T${time.length === 5 ? `${time}:00` : time}Z`);
  // Zones change their offset at most once a day, so the offsets of the hours around `wall` are
  // the only candidates.
  const before = offsetAt(wall - 24 * HOUR, timeZone);
  const after = offsetAt(wall + 24 * HOUR, timeZone);
  const fits = [wall - before, wall - after].filter((instant) => wallClock(instant, timeZone) === wall);
  return fits.length > 0 ? Math.min(...fits) : wall - before;
}

/** Milliseconds from `now` until the next day begins in `timeZone`. */
export function untilNextDay(now: number, timeZone: string): number {
  return instantAt(addDays(dayIn(now, timeZone), 1), "00:00", timeZone) - now;
}

// English, like the rest of the interface, and the same on the server and in every browser, so a
// heading never changes during hydration: "Wed 27 Nov".
const dayFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  weekday: "short",
  day: "numeric",
  month: "short",
});
const dayWithYearFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
});

/** How a day reads as a heading, seen from `today`: "Today", "Tomorrow", "Wed 27 Nov", "Tue 5 Jan 2027". */
export function dayLabel(day: string, today: string): string {
  if (day === today) return "Today";
  if (day === addDays(today, 1)) return "Tomorrow";
  const format = day.slice(0, 4) === today.slice(0, 4) ? dayFormat : dayWithYearFormat;
  return format.format(Date.parse(`${day}T12:00:00Z`)).replace(",", "");
}

/** The zone this browser (or server) runs in. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
