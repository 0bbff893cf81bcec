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

function wallClock(timeZone: string, instant: number) {
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
 * zone. The offset is looked up twice because midnight may lie on the other side of a DST change.
 */
export function startOfDay(timeZone: string, now: Date, daysFromToday = 0): Date {
  const today = wallClock(timeZone, now.getTime());
  const midnightAsUtc = Date.UTC(today.year, today.month - 1, today.day + daysFromToday);
  let instant = midnightAsUtc - offsetAt(timeZone, midnightAsUtc);
  instant = midnightAsUtc - offsetAt(timeZone, instant);
  return new Date(instant);
}
