/**
 * Calendar arithmetic in an IANA time zone, the user's rather than the machine's, for the API and
 * the web app alike: every day boundary and wall-clock time is computed with
 * `Intl.DateTimeFormat({ timeZone })`, never with `Date#setHours`. One algorithm:
 *
 * - A wall-clock reading is handled as a number, the reading written as if it were UTC.
 * - A reading that happens twice (clocks going back) is its first occurrence; one that never
 *   happens (clocks going forward) is read with the offset from before the change, so 02:30
 *   becomes 03:30 — RFC 5545 §3.3.5 and Temporal's "compatible" disambiguation. A day whose
 *   midnight is skipped (America/Santiago) therefore begins at its first instant.
 * - Days are written `YYYY-MM-DD`, so they compare as strings.
 */

const DAY_MS = 86_400_000;
const wallFormats = new Map<string, Intl.DateTimeFormat>();

function wallFormat(timeZone: string): Intl.DateTimeFormat {
  let format = wallFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      era: "short",
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

export interface WallTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/**
 * A wall reading written as if it were UTC — RFC 5545's "floating" time, which day arithmetic and
 * rule evaluation work on. Not Date.UTC, which reads years 0–99 as 1900–1999.
 */
export function floatingInstant({ year, month, day, hour, minute, second }: WallTime): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/** The wall reading a floating instant (see `floatingInstant`) stands for. */
export function wallOfFloating(floating: number): WallTime {
  const date = new Date(floating);
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

/** The date and time a clock on the wall shows in the zone at that instant (seconds precision). */
export function wallClock(timeZone: string, instant: number): WallTime {
  const part: Record<string, string> = {};
  for (const { type, value } of wallFormat(timeZone).formatToParts(instant)) part[type] = value;
  const year = Number(part.year);
  return {
    year: part.era === "BC" ? 1 - year : year,
    month: Number(part.month),
    day: Number(part.day),
    // Some engines write midnight as 24 even with hourCycle h23.
    hour: Number(part.hour) % 24,
    minute: Number(part.minute),
    second: Number(part.second),
  };
}

/** The wall reading at `instant` as if it were UTC, with the instant's milliseconds. */
function wallReading(instant: number, timeZone: string): number {
  return floatingInstant(wallClock(timeZone, instant)) + (((instant % 1000) + 1000) % 1000);
}

/** How far the zone's clock is ahead of UTC at `instant`, in milliseconds. */
export const offsetAt = (instant: number, timeZone: string) => wallReading(instant, timeZone) - instant;

/** The instant the zone's clock shows `reading` (a wall reading written as UTC); see the module comment. */
function instantOfReading(reading: number, timeZone: string): number {
  // Zones change their offset at most once a day, so the offsets a day either side are the only candidates.
  const before = offsetAt(reading - DAY_MS, timeZone);
  const after = offsetAt(reading + DAY_MS, timeZone);
  const fits = [reading - before, reading - after].filter((instant) => wallReading(instant, timeZone) === reading);
  return fits.length > 0 ? Math.min(...fits) : reading - before;
}

/** The instant a wall-clock time happens in the zone. */
export function zonedInstant(timeZone: string, wall: WallTime, milliseconds = 0): Date {
  return new Date(instantOfReading(floatingInstant(wall) + milliseconds, timeZone));
}

/** The calendar day (`YYYY-MM-DD`) in `timeZone` at `instant`. */
export function dayIn(instant: number, timeZone: string): string {
  return new Date(wallReading(instant, timeZone)).toISOString().slice(0, 10);
}

/** The wall-clock time (`HH:MM`) in `timeZone` at `instant`. */
export function timeIn(instant: number, timeZone: string): string {
  return new Date(wallReading(instant, timeZone)).toISOString().slice(11, 16);
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The instant at which the clock in `timeZone` reads `day` `time` (`HH:MM` or `HH:MM:SS`). */
export function instantAt(day: string, time: string, timeZone: string): number {
  return instantOfReading(Date.parse(`${day}T${time.length === 5 ? `${time}:00` : time}Z`), timeZone);
}

/** The instant local midnight begins, `daysFromToday` days after the day `now` falls on in the zone. */
export function startOfDay(timeZone: string, now: Date, daysFromToday = 0): Date {
  return new Date(instantAt(addDays(dayIn(now.getTime(), timeZone), daysFromToday), "00:00", timeZone));
}

/** Milliseconds from `now` until the next day begins in `timeZone`. */
export function untilNextDay(now: number, timeZone: string): number {
  return instantAt(addDays(dayIn(now, timeZone), 1), "00:00", timeZone) - now;
}

/** The zone this browser (or server) runs in. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}
