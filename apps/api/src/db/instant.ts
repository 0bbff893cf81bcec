// PostgreSQL's text form of a timestamptz: "2026-12-02 07:11:54.349+00", "0001-01-01 00:00:00+00",
// offsets in hours, minutes and (for historical local mean time) seconds, "BC" before the year 1.
const TIMESTAMPTZ =
  /^(\d{4,})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?([+-])(\d\d)(?::(\d\d))?(?::(\d\d))?( BC)?$/;

/** A timestamptz as PostgreSQL writes it, read exactly (to the millisecond), whatever the year. */
export function parseInstant(text: string): Date {
  const match = TIMESTAMPTZ.exec(text);
  if (!match) {
    // infinity and -infinity, which Taskvault never stores
    const date = new Date(text);
    if (Number.isNaN(date.getTime())) throw new Error(`Unreadable timestamp: ${text}`);
    return date;
  }
  const [, year, month, day, hour, minute, second, fraction = "", sign, offsetHours, offsetMinutes, offsetSeconds, bc] =
    match;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, takes the years 0–99 as they are.
  date.setUTCFullYear(bc ? 1 - Number(year) : Number(year), Number(month) - 1, Number(day));
  date.setUTCHours(Number(hour), Number(minute), Number(second), Number(fraction.padEnd(3, "0").slice(0, 3)));
  const offsetMs = (Number(offsetHours) * 3600 + Number(offsetMinutes ?? 0) * 60 + Number(offsetSeconds ?? 0)) * 1000;
  return new Date(date.getTime() - (sign === "+" ? offsetMs : -offsetMs));
}

/** A UTC timestamptz of the years 1000–9999 as PostgreSQL writes it: 2026-12-02 07:11:54.3+00. */
const PLAIN_UTC = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,3}))?\+00$/;

/**
 * A timestamptz's text as toISOString() writes the instant, without making a Date on the common
 * path (a session in UTC, milliseconds, four-digit years); anything else goes through parseInstant.
 */
export function isoFromText(text: string): string {
  const match = PLAIN_UTC.exec(text);
  if (!match || text.startsWith("0")) return parseInstant(text).toISOString();
  return `${match[1]}T${match[2]}.${(match[3] ?? "").padEnd(3, "0")}Z`;
}
