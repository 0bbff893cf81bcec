import { z } from "zod";

/** Ids are UUIDv7 strings; any UUID form is accepted on input. */
export const Id = z.uuid();
export type Id = z.infer<typeof Id>;

/** ISO-8601 date-time with an offset (`Z` or `+01:00`), as sent over the wire. */
export const DateTime = z.iso.datetime({ offset: true });
export type DateTime = z.infer<typeof DateTime>;

/** Counts plain characters (code points), not UTF-16 units, so "8 characters" means what people think. */
export function characterCount(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}
