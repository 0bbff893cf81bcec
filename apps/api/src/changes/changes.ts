import type { Change, ChangePage, ChangeType } from "@taskvault/contract/changes";
import type { ListRole } from "@taskvault/contract/lists";
import { and, asc, eq, getTableColumns, gt, lte, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";
import type { FastifyBaseLogger } from "fastify";
import type { Database, Executor } from "../db/client.ts";
import { rowsOf } from "../db/rows.ts";
import { changeSeqs, changes, lists, pendingChanges, todos } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { toList } from "../lists/lists.ts";
import { toTodo } from "../todos/todo-json.ts";

const COMPACTION_INTERVAL_MS = 3600_000;
const DAY_MS = 24 * 3600_000;

/**
 * The triggers store each row as `to_jsonb(row)`: column names as keys, timestamps as ISO strings.
 * Each column's own driver mapping turns that back into the row drizzle would have selected, so
 * the entity mappers of the todos and lists routes serve log entries unchanged.
 */
function rowReader<T extends PgTable>(table: T): (json: Record<string, unknown>) => T["$inferSelect"] {
  const columns = Object.entries(getTableColumns(table));
  return (json) => {
    const row: Record<string, unknown> = {};
    for (const [key, column] of columns) {
      const value = json[column.name];
      // A key missing from an entry written before its column existed reads as null.
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    return row as T["$inferSelect"];
  };
}

const readTodo = rowReader(todos);
const readList = rowReader(lists);

type Entry = Pick<typeof changes.$inferSelect, "seq" | "type" | "entityId" | "data">;

export function toChange(entry: Entry): Change {
  const { seq, entityId: id } = entry;
  const data = entry.data as Record<string, unknown> | null;
  switch (entry.type as ChangeType) {
    case "todo.upserted":
      return { seq, type: "todo.upserted", id, data: toTodo(readTodo(data!)) };
    case "list.upserted":
      // The log's list entries carry the reader's role and the member count (drizzle/0008).
      return {
        seq,
        type: "list.upserted",
        id,
        data: toList(readList(data!), {
          role: (data!.role as ListRole | undefined) ?? "owner",
          memberCount: Number(data!.member_count ?? 1),
        }),
      };
    case "todo.deleted":
      return { seq, type: "todo.deleted", id, data: null };
    case "list.deleted":
      return { seq, type: "list.deleted", id, data: null };
    default:
      throw new Error(`Unknown change type ${entry.type}`);
  }
}

export interface LogPosition {
  /** The last seq handed out (0: nothing yet). */
  seq: number;
  /** Entries up to here may have been deleted by retention. */
  compactedThrough: number;
}

/**
 * Gives the user's committed, not yet sequenced changes their seqs (taskvault_sequence_changes,
 * drizzle/0005_changes_after_commit.sql): what every reader does before it reads the log, in a
 * statement of its own (never inside a repeatable-read snapshot). Without waiting changes it
 * only looks; otherwise it waits only for another sequencer of the same user.
 */
export async function sequenceChanges(db: Executor, userId: string): Promise<void> {
  await db.execute(sql`select taskvault_sequence_changes(${userId}::uuid)`);
}

export async function readPosition(db: Executor, userId: string): Promise<LogPosition> {
  const [row] = await db
    .select({ seq: changeSeqs.seq, compactedThrough: changeSeqs.compactedThrough })
    .from(changeSeqs)
    .where(eq(changeSeqs.userId, userId));
  return row ?? { seq: 0, compactedThrough: 0 };
}

/** A position the log cannot continue from: compacted away, or one it never reached. */
export function isBehindLog(since: number, position: LogPosition): boolean {
  return since < position.compactedThrough || since > position.seq;
}

export const logGone = () =>
  new AppError(
    "gone",
    "Changes since this seq are no longer kept (or it is not a seq of this account): do a full sync, then continue from the seq it returns",
  );

/**
 * Up to `limit` entries after `since`, oldest first. Seqs have no holes (each is handed out with
 * its entry, in one transaction), so a first entry other than since + 1 means compaction cut in.
 */
export async function readEntries(db: Executor, userId: string, since: number, limit: number): Promise<Change[]> {
  const rows = await db
    .select({ seq: changes.seq, type: changes.type, entityId: changes.entityId, data: changes.data })
    .from(changes)
    .where(and(eq(changes.userId, userId), gt(changes.seq, since)))
    .orderBy(asc(changes.seq))
    .limit(limit);
  return rows.map(toChange);
}

/**
 * GET /api/v1/changes. Position and entries come from one snapshot (a repeatable-read
 * transaction), so a concurrent commit or compaction can never make them disagree.
 */
export async function listChanges(db: Database, userId: string, since: number, limit: number): Promise<ChangePage> {
  await sequenceChanges(db, userId);
  return db.transaction(
    async (tx) => {
      const position = await readPosition(tx, userId);
      if (isBehindLog(since, position)) throw logGone();
      const entries = await readEntries(tx, userId, since, limit + 1);
      const page = entries.slice(0, limit);
      return { changes: page, seq: page.at(-1)?.seq ?? position.seq, hasMore: entries.length > limit };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/**
 * Retention: entries older than `retentionDays` are deleted, and each user's compacted_through
 * rises to the highest seq deleted, so a client that was away longer gets 410 and does a full
 * sync. Whole prefixes are cut (everything up to that seq), never single entries in the middle.
 */
export async function compactChanges(db: Database, retentionDays: number): Promise<number> {
  const cutoff = new Date(Date.now() - retentionDays * DAY_MS);
  // Inboxes nobody has read lately are sequenced first, so that they never outgrow an hour of
  // writes and their entries age out like any other.
  const waiting = rowsOf<{ user_id: string }>(
    await db.execute(sql`select distinct ${pendingChanges.userId} as user_id from ${pendingChanges}`),
  );
  for (const { user_id: userId } of waiting) await sequenceChanges(db, userId);
  const cuts = rowsOf<{ user_id: string; through: string | number }>(
    await db.execute(sql`
      select ${changes.userId} as user_id, max(${changes.seq}) as through from ${changes}
      where ${changes.createdAt} < ${cutoff.toISOString()}::timestamptz group by ${changes.userId}`),
  );
  // One short transaction per user: the counter row it locks holds up only that user's writers.
  for (const { user_id: userId, through } of cuts) {
    await db.transaction(async (tx) => {
      await tx
        .update(changeSeqs)
        .set({ compactedThrough: sql`greatest(${changeSeqs.compactedThrough}, ${Number(through)})` })
        .where(eq(changeSeqs.userId, userId));
      await tx.delete(changes).where(and(eq(changes.userId, userId), lte(changes.seq, Number(through))));
    });
  }
  return cuts.length;
}

export function startChangeCompaction(db: Database, retentionDays: number, log: FastifyBaseLogger) {
  const run = () =>
    compactChanges(db, retentionDays).then(
      (users) => {
        if (users > 0) log.info({ users }, "compacted the change log");
      },
      (error: unknown) => log.warn({ err: error }, "change-log compaction failed; retrying next hour"),
    );
  const timer = setInterval(run, COMPACTION_INTERVAL_MS);
  timer.unref();
  return { close: () => clearInterval(timer) };
}
