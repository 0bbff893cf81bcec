// The transactional outbox (docs/decisions/019-mail-outbox.md). A message is a row written by the
// transaction that causes it, so a rolled-back action sends nothing and a committed one never loses
// its message. Senders on every instance claim due rows with FOR UPDATE SKIP LOCKED (PostgreSQL
// §SELECT "The Locking Clause"; on PGlite, one process, the same statement simply never meets a lock).
import { sql } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import type { Executor } from "../db/client.ts";
import { rowsOf } from "../db/rows.ts";
import { mailOutbox } from "../db/schema.ts";

/** Every kind of message; each has a composer (mail/sender.ts `Composers`). */
export type MessageKind =
  | "verify_email"
  | "reset_password"
  | "confirm_email_change"
  | "email_change_requested"
  | "security_notice"
  | "reminder"
  | "list_invitation";

export interface NewMessage {
  kind: MessageKind;
  /** The account concerned; the message goes to its current address unless `recipient` is given. */
  userId?: string | null;
  recipient?: string | null;
  data?: Record<string, unknown>;
}

export interface ClaimedMessage {
  id: string;
  kind: MessageKind;
  userId: string | null;
  recipient: string | null;
  data: Record<string, unknown>;
  /** Including this one. */
  attempts: number;
  createdAt: Date;
}

/** Writes a message in the caller's transaction; it is sent once that commits. */
export async function enqueueMessage(tx: Executor, message: NewMessage): Promise<void> {
  const now = new Date();
  await tx.insert(mailOutbox).values({
    id: uuidv7(),
    kind: message.kind,
    userId: message.userId ?? null,
    recipient: message.recipient ?? null,
    data: message.data ?? {},
    nextAttemptAt: now,
    createdAt: now,
  });
}

interface ClaimedRow {
  id: string;
  kind: MessageKind;
  user_id: string | null;
  recipient: string | null;
  data: Record<string, unknown> | string;
  attempts: number;
  created_at: Date | string;
}

/**
 * Claims up to `limit` due messages for `leaseMs`: their next attempt moves past the lease, so no
 * other sender takes them while this one works, and a sender that dies mid-way loses them only
 * until the lease runs out (then they are sent again: at most one duplicate, decision 019).
 */
export async function claimDueMessages(db: Executor, limit: number, leaseMs: number): Promise<ClaimedMessage[]> {
  const now = new Date();
  const rows = rowsOf<ClaimedRow>(
    await db.execute(sql`
      update mail_outbox set next_attempt_at = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz,
        attempts = attempts + 1
      where id in (
        select id from mail_outbox
        where status = 'pending' and next_attempt_at <= ${now.toISOString()}::timestamptz
        order by next_attempt_at
        limit ${limit}
        for update skip locked)
      returning id, kind, user_id, recipient, data, attempts, created_at`),
  );
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    userId: row.user_id,
    recipient: row.recipient,
    data: typeof row.data === "string" ? JSON.parse(row.data) : row.data,
    attempts: row.attempts,
    createdAt: new Date(row.created_at),
  }));
}

/** Ends a message's life: sent, skipped (nothing to send any more) or failed (given up); the last error stays. */
export async function settleMessage(
  db: Executor,
  id: string,
  status: "sent" | "skipped" | "failed",
  error?: string,
): Promise<void> {
  await db.execute(sql`
    update mail_outbox set status = ${status}, sent_at = ${status === "sent" ? new Date().toISOString() : null}::timestamptz,
      last_error = coalesce(${error ?? null}, last_error)
    where id = ${id}`);
}

export async function scheduleRetry(db: Executor, id: string, at: Date, error: string): Promise<void> {
  await db.execute(sql`
    update mail_outbox set next_attempt_at = ${at.toISOString()}::timestamptz, last_error = ${error}
    where id = ${id} and status = 'pending'`);
}
