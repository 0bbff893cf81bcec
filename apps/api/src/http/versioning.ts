import type { FastifyReply } from "fastify";
import { z } from "zod";
import type { IfMatch } from "../db/versions.ts";

/**
 * Optimistic concurrency, HTTP half: the ETag is the row's `version`, and `If-Match` names the
 * versions a write may apply to (the SQL condition is db/versions.ts).
 */
export const IfMatchHeaders = z.object({ "if-match": z.string().max(1000).optional() });

/** `If-Match` values: `*`, or one or more quoted versions (weak or strong). */
export function parseIfMatch(header: string | undefined): IfMatch {
  if (header === undefined) return undefined;
  if (header.trim() === "*") return "any";
  return [...header.matchAll(/(?:W\/)?"(\d{1,9})"/g)].map((match) => Number(match[1]));
}

export function withEtag<T extends { version: number }>(reply: FastifyReply, resource: T): T {
  reply.header("etag", `"${resource.version}"`);
  return resource;
}
