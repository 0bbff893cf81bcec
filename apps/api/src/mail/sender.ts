// The background sender that runs on every instance (docs/decisions/019-mail-outbox.md): each tick
// enqueues due reminders, then claims due outbox rows, composes, sends and settles them. One timer
// for both: reminders are outbox rows too.

import { sql } from "drizzle-orm";
import type { FastifyBaseLogger } from "fastify";
import type { Database } from "../db/client.ts";
import { type ClaimedMessage, claimDueMessages, type MessageKind, scheduleRetry, settleMessage } from "./outbox.ts";
import { enqueueDueReminders } from "./reminders.ts";
import type { OutgoingMessage } from "./templates.ts";
import type { MailTransport } from "./transport.ts";

/** Builds a message when it is sent (minting its link's token then), or null when there is nothing to send any more. */
export type Composer = (message: ClaimedMessage) => Promise<OutgoingMessage | null>;
export type Composers = Record<MessageKind, Composer>;

/** Messages claimed, and sent side by side, per round. */
const BATCH = 10;
/** The longest wait between two attempts at one message. */
const MAX_BACKOFF_MS = 60 * 60 * 1000;
/** Settled messages are kept this long (reminders' de-duplication needs far less), then deleted. */
const SETTLED_RETENTION_MS = 7 * 24 * 3600 * 1000;
const PURGE_EVERY_MS = 60 * 60 * 1000;

export interface MailSenderOptions {
  db: Database;
  transport: MailTransport;
  composers: Composers;
  pollMs: number;
  /** The first retry's delay; each further one doubles (with ±20 % jitter), up to an hour. */
  retryBaseMs: number;
  /** A message still failing this long after it was written is marked failed. */
  retryForMs: number;
  /** How long each SMTP step may take: a claim lasts long enough for a send to finish or time out. */
  sendTimeoutMs: number;
  log: FastifyBaseLogger;
}

export interface MailSender {
  /** Runs a round now (and another right after, if one is in progress). */
  wake(): void;
  /** Stops polling and waits for the round in progress. */
  close(): Promise<void>;
}

/** Exponential back-off with jitter, so messages refused together are not retried in lockstep. */
export function retryDelayMs(attempts: number, baseMs: number, random = Math.random): number {
  const exponential = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** Math.max(0, attempts - 1));
  return exponential * (0.8 + 0.4 * random());
}

export function startMailSender(options: MailSenderOptions): MailSender {
  const { db, transport, composers, log } = options;
  // A claim outlives connect + greeting + the commands of one message, each bounded by the timeout.
  const leaseMs = 3 * options.sendTimeoutMs + 5_000;
  let closed = false;
  let round: Promise<void> | null = null;
  let again = false;
  let lastPurge = 0;
  let failing = false;

  async function deliver(message: ClaimedMessage): Promise<void> {
    try {
      const outgoing = await composers[message.kind](message);
      if (!outgoing) {
        await settleMessage(db, message.id, "skipped");
        return;
      }
      await transport.send(outgoing);
    } catch (error) {
      const reason = error instanceof Error ? error.message.slice(0, 500) : "unknown error";
      const now = Date.now();
      if (now - message.createdAt.getTime() >= options.retryForMs) {
        log.error(
          { messageId: message.id, kind: message.kind, attempts: message.attempts, reason },
          "mail failed; giving up",
        );
        await settleMessage(db, message.id, "failed", reason);
      } else {
        const at = new Date(now + retryDelayMs(message.attempts, options.retryBaseMs));
        log.warn(
          { messageId: message.id, kind: message.kind, attempts: message.attempts, reason },
          "mail not sent; will retry",
        );
        await scheduleRetry(db, message.id, at, reason);
      }
      return;
    }
    // A crash right here sends the message again once its claim runs out (decision 019).
    await settleMessage(db, message.id, "sent");
  }

  async function runRound(): Promise<void> {
    const now = new Date();
    await enqueueDueReminders(db, now);
    for (;;) {
      const claimed = await claimDueMessages(db, BATCH, leaseMs);
      await Promise.all(
        claimed.map((message) =>
          deliver(message).catch((error: unknown) =>
            // The database failed while settling: the claim runs out and the message is tried again.
            log.warn({ err: error, messageId: message.id }, "could not settle a mail message"),
          ),
        ),
      );
      if (claimed.length < BATCH || closed) break;
    }
    if (now.getTime() - lastPurge >= PURGE_EVERY_MS) {
      lastPurge = now.getTime();
      await db.execute(sql`
        delete from mail_outbox
        where status <> 'pending' and created_at < ${new Date(now.getTime() - SETTLED_RETENTION_MS).toISOString()}::timestamptz`);
    }
  }

  function wake(): void {
    if (closed) return;
    if (round) {
      again = true;
      return;
    }
    round = runRound()
      .then(
        () => {
          if (failing) log.info("mail rounds work again");
          failing = false;
        },
        (error: unknown) => {
          // Once per outage, not every poll: the database being away is reported elsewhere too.
          if (!failing) log.warn({ err: error }, "mail round failed; the next rounds try again");
          failing = true;
        },
      )
      .finally(() => {
        round = null;
        if (again) {
          again = false;
          wake();
        }
      });
  }

  const timer = setInterval(wake, options.pollMs);
  timer.unref();
  wake();

  return {
    wake,
    async close() {
      closed = true;
      clearInterval(timer);
      await round;
      transport.close();
    },
  };
}
