import type { AuthEventPage, AuthEventType, ListAuthEventsQuery } from "@taskvault/contract/events";
import { and, desc, eq, lt, lte, type SQL, sql } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import { uuidv7 } from "uuidv7";
import type { Database, Executor } from "../db/client.ts";
import { authEvents } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { isUuid } from "../ids.ts";
import type { AuthContext, Caller, ClientInfo } from "./context.ts";

const MAX_USER_AGENT = 512;
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * The insert of one entry of a user's security trail, for a statement that writes it together with
 * the rows it is about (a new session: auth/sessions.ts). `at` is an ISO instant; `source`, when
 * given, is the `from` clause the entry is written once per row of.
 */
export function authEventInsert(
  userId: string,
  type: AuthEventType,
  sessionId: string | null,
  client: ClientInfo,
  at: string,
  source: SQL = sql``,
): SQL {
  return sql`insert into auth_events (user_id, id, type, session_id, ip, user_agent, created_at)
    select ${userId}, ${uuidv7()}, ${type}, ${sessionId}, ${client.ip},
      ${client.userAgent?.slice(0, MAX_USER_AGENT) ?? null}, ${at}::timestamptz ${source}`;
}

/** Adds one entry to a user's security trail, in the caller's transaction when given one. */
export async function recordAuthEvent(
  db: Executor,
  userId: string,
  type: AuthEventType,
  sessionId: string | null,
  client: ClientInfo,
): Promise<void> {
  await db.execute(authEventInsert(userId, type, sessionId, client, new Date().toISOString()));
}

/** The caller's own events, newest first; the cursor is the last id served (UUIDv7 sorts by time). */
export async function listAuthEvents(
  ctx: AuthContext,
  caller: Caller,
  query: ListAuthEventsQuery,
): Promise<AuthEventPage> {
  if (query.cursor !== undefined && !isUuid(query.cursor)) {
    throw new AppError("invalid_query", "The cursor is invalid", { errors: { cursor: ["Invalid cursor"] } });
  }
  const rows = await ctx.db
    .select()
    .from(authEvents)
    .where(and(eq(authEvents.userId, caller.userId), query.cursor ? lt(authEvents.id, query.cursor) : undefined))
    .orderBy(desc(authEvents.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    items: page.map((row) => ({
      id: row.id,
      type: row.type as AuthEventType,
      createdAt: row.createdAt.toISOString(),
      sessionId: row.sessionId,
      ip: row.ip,
      userAgent: row.userAgent,
    })),
    nextCursor: rows.length > query.limit ? page[page.length - 1]!.id : null,
  };
}

/** Deletes events older than the retention hourly (and once at start-up); a failed run is retried next hour. */
export function startAuthEventPurge(db: Database, retentionDays: number, log: FastifyBaseLogger): { close(): void } {
  const purge = () =>
    db
      .delete(authEvents)
      .where(lte(authEvents.createdAt, new Date(Date.now() - retentionDays * 24 * 3600 * 1000)))
      .catch((error: unknown) => log.warn({ err: error }, "could not purge old auth events"));
  const first = setTimeout(purge, 10_000);
  const timer = setInterval(purge, PURGE_INTERVAL_MS);
  first.unref();
  timer.unref();
  return {
    close() {
      clearTimeout(first);
      clearInterval(timer);
    },
  };
}
