const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The date and time a clock on the wall shows in the zone at that instant (seconds precision). */
export function wallClock(timeZone: string, instant: number) {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return parts as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

/** Milliseconds the zone is ahead of UTC at that instant. */
function offsetAt(timeZone: string, instant: number): number {
  const wall = wallClock(timeZone, instant);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant local midnight begins, `daysFromToday` days after the day `now` falls on in the
 * zone. The offset is looked up twice because midnight may lie on the other side of a DST change;
 * where a change skips midnight (America/Santiago), the day begins at the first instant that is
 * already on that day, so the earlier candidate is kept only if the zone's clock shows that day.
 */
export function startOfDay(timeZone: string, now: Date, daysFromToday = 0): Date {
  const today = wallClock(timeZone, now.getTime());
  const midnightAsUtc = Date.UTC(today.year, today.month - 1, today.day + daysFromToday);
  const first = midnightAsUtc - offsetAt(timeZone, midnightAsUtc);
  const second = midnightAsUtc - offsetAt(timeZone, first);
  const isOnTheDay = (instant: number) => {
    const seen = wallClock(timeZone, instant);
    return Date.UTC(seen.year, seen.month - 1, seen.day) === midnightAsUtc;
  };
  const [earlier, later] = first <= second ? [first, second] : [second, first];
  return new Date(isOnTheDay(earlier) ? earlier : later);
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
 * The instant a wall-clock time happens in the zone. Like `startOfDay`, the offset is looked up
 * twice; a time that does not exist (skipped by a DST change) is
 * read with the offset from before the change, so it lands as far after the gap as it was into it.
 */
export function zonedInstant(timeZone: string, wall: WallTime, milliseconds = 0): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const first = asUtc - offsetAt(timeZone, asUtc);
  const second = asUtc - offsetAt(timeZone, first);
  const shows = (instant: number) => {
    const seen = wallClock(timeZone, instant);
    return Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute, seen.second) === asUtc;
  };
  const instant = shows(second) ? second : shows(first) ? first : Math.max(first, second);
  return new Date(instant + milliseconds);
}
