import { inArray, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/**
 * Optimistic concurrency shared by every versioned resource (todos, lists), database half: the
 * row's `version` is its ETag, and an If-Match turns a write into "only if it is still that
 * version" (the HTTP half, reading and writing the headers, is http/versioning.ts).
 */
export type IfMatch = number[] | "any" | undefined;

/**
 * The WHERE condition for a version column; none when the client sent no If-Match (or `*`). For a
 * prepared query (`placeholders`), the versions are placeholders filled by versionValues.
 */
export function versionCondition(column: PgColumn, ifMatch: IfMatch, { placeholders = false } = {}): SQL | undefined {
  if (ifMatch === undefined || ifMatch === "any") return undefined;
  if (ifMatch.length === 0) return sql`false`;
  return inArray(column, placeholders ? ifMatch.map((_, i) => sql.placeholder(`version${i}`)) : ifMatch);
}

/** The values of versionCondition's placeholders. */
export const versionValues = (ifMatch: IfMatch): Record<string, number> =>
  Object.fromEntries((Array.isArray(ifMatch) ? ifMatch : []).map((version, i) => [`version${i}`, version]));

/** What of an If-Match shapes the SQL of versionCondition: whether there is one, and how many versions. */
export const ifMatchShape = (ifMatch: IfMatch) => (Array.isArray(ifMatch) ? String(ifMatch.length) : "none");
