import { z } from "zod";

/** Ids are UUIDv7 strings; any UUID form is accepted on input. */
export const Id = z.uuid();
export type Id = z.infer<typeof Id>;

const EARLIEST = Date.parse("0001-01-01T00:00:00Z");
const LATEST = Date.parse("9999-12-31T23:59:59.999Z");

/**
 * ISO-8601 date-time with an offset (`Z` or `+01:00`), as sent over the wire. Bounded to the years
 * 1–9999 in UTC: PostgreSQL has no year 0, and later instants have no 4-digit ISO form.
 */
export const DateTime = z.iso.datetime({ offset: true }).refine((value) => {
  const instant = Date.parse(value);
  return instant >= EARLIEST && instant <= LATEST;
}, "Date must fall between the years 1 and 9999");
export type DateTime = z.infer<typeof DateTime>;

/**
 * Text a user types never holds NUL: PostgreSQL cannot store it in text columns, so it is refused
 * as invalid input (422/400) instead of failing in the database.
 */
export const hasNoNul = (value: string) => !value.includes("\u0000");
export const NO_NUL_MESSAGE = "Must not contain NUL characters";

/** Counts plain characters (code points), not UTF-16 units, so "8 characters" means what people think. */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}
