import { inArray, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { FastifyReply } from "fastify";
import { z } from "zod";

/**
 * Optimistic concurrency shared by every versioned resource (todos, lists): the ETag is the
 * row's `version`, and `If-Match` turns a write into "only if it is still that version".
 */
export type IfMatch = number[] | "any" | undefined;

export const IfMatchHeaders = z.object({ "if-match": z.string().max(1000).optional() });

/** `If-Match` values: `*`, or one or more quoted versions (weak or strong). */
export function parseIfMatch(header: string | undefined): IfMatch {
  if (header === undefined) return undefined;
  if (header.trim() === "*") return "any";
  return [...header.matchAll(/(?:W\/)?"(\d{1,9})"/g)].map((match) => Number(match[1]));
}

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

export function withEtag<T extends { version: number }>(reply: FastifyReply, resource: T): T {
  reply.header("etag", `"${resource.version}"`);
  return resource;
}
