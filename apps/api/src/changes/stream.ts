import type { Change } from "@taskvault/contract/changes";
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from "fastify";
import type { RevocationList } from "../auth/revocation.ts";
import type { Database } from "../db/client.ts";
import { isBehindLog, logGone, readEntries, readPosition, sequenceChanges } from "./changes.ts";
import type { ChangeHub, StreamTarget } from "./hub.ts";

/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Entries read from the log per query; a longer backlog is read batch by batch. */
const BATCH = 100;
/**
 * Bytes a stream lets its socket hold back before it stops writing until `drain`: what a slow
 * client can cost (plus one frame), however long the backlog in the log.
 */
const MAX_BUFFERED = 256 * 1024;
/** What EventSource waits before reconnecting after the stream ends, in ms. */
const RETRY_MS = 2000;

export interface StreamSettings {
  db: Database;
  hub: ChangeHub;
  revocations: RevocationList;
  heartbeatMs: number;
  stallMs: number;
  log: FastifyBaseLogger;
}

/**
 * GET /api/v1/events: a server-sent-events stream of the caller's change log, from `resumeFrom`
 * (Last-Event-ID or ?since=) or, without one, from now.
 *
 * The stream never buffers changes in memory: it holds only its position (the last seq written)
 * and reads the log from there whenever the hub says the log grew. When the socket holds back more
 * than MAX_BUFFERED (the client reads slowly) it stops writing and reading until `drain`, so a
 * slow client costs at most that plus one batch; one that stays stalled for `stallMs` is
 * disconnected and resumes from its Last-Event-ID when it reconnects.
 */
export async function openEventStream(
  request: FastifyRequest,
  reply: FastifyReply,
  settings: StreamSettings,
  resumeFrom: number | undefined,
): Promise<void> {
  const { db, hub, revocations, log } = settings;
  const { userId, sessionId, tokenExpiresAt } = request.caller;
  await sequenceChanges(db, userId);
  const position = await readPosition(db, userId);
  if (resumeFrom !== undefined && isBehindLog(resumeFrom, position)) throw logGone();
  let lastSeq = resumeFrom ?? position.seq;

  const res = reply.raw;
  let closed = false;
  let reading = false;
  let dirty = false;
  let paused = false;
  let stallTimer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let expiry: NodeJS.Timeout | undefined;
  let release = () => {};
  /** Read from the log but not yet written: at most one batch. */
  let pending: Change[] = [];

  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    clearTimeout(expiry);
    clearTimeout(stallTimer);
    release();
    if (!res.destroyed) res.end();
  };

  const pause = () => {
    paused = true;
    stallTimer = setTimeout(() => {
      log.info({ userId, lastSeq }, "event stream stalled (the client does not read); disconnecting it");
      finish();
      res.destroy();
    }, settings.stallMs);
    res.once("drain", () => {
      paused = false;
      clearTimeout(stallTimer);
      if (dirty || pending.length > 0) void pump();
    });
  };

  /** Writes what was read; false when the socket holds back enough that writing must wait for drain. */
  const flush = (): boolean => {
    while (pending.length > 0 && !closed) {
      const change = pending.shift()!;
      lastSeq = change.seq;
      res.write(`id: ${change.seq}\nevent: ${change.type}\ndata: ${JSON.stringify(change)}\n\n`);
      if (res.writableLength > MAX_BUFFERED) {
        pause();
        return false;
      }
    }
    return true;
  };

  const pump = async (): Promise<void> => {
    if (closed) return;
    if (reading || paused) {
      dirty = true;
      return;
    }
    reading = true;
    try {
      if (!flush()) return;
      do {
        dirty = false;
        await sequenceChanges(db, userId);
        const entries = await readEntries(db, userId, lastSeq, BATCH);
        if (closed) return;
        // Seqs have no holes: a jump means retention removed what this stream still needed. Ending
        // it makes the client reconnect, get 410 and do a full sync.
        if (entries.length > 0 && entries[0]!.seq !== lastSeq + 1) return finish();
        if (entries.length === BATCH) dirty = true;
        pending = entries;
        if (!flush()) return;
      } while (dirty && !closed);
    } catch (error) {
      // The client resumes from its last id; nothing is lost by ending here.
      log.warn({ err: error, userId }, "could not read the change log for an event stream; ending it");
      finish();
    } finally {
      reading = false;
    }
  };

  const target: StreamTarget = {
    userId,
    sessionId,
    wake: () => void pump(),
    revoke() {
      if (closed) return;
      res.write('event: session.revoked\ndata: {"reason":"The session has ended; sign in again"}\n\n');
      finish();
    },
    end: finish,
    buffered: () => res.writableLength,
  };
  release = hub.admit(target);

  heartbeat = setInterval(() => {
    // Belt and braces for the revocation listener: the in-memory set is the source of truth.
    if (revocations.isRevoked(sessionId)) return target.revoke();
    if (!paused) res.write(": heartbeat\n\n");
  }, settings.heartbeatMs);
  // The access token's end is the stream's end; the client reconnects with a fresh one. An API
  // token lives for months, beyond what a timer holds (2³¹ ms, else it fires at once): such a
  // stream ends after ~24 days and the client reconnects with the same token.
  if (Number.isFinite(tokenExpiresAt)) {
    expiry = setTimeout(finish, Math.min(MAX_TIMER_MS, Math.max(0, tokenExpiresAt * 1000 - Date.now())));
  }

  reply.hijack();
  res.on("close", finish);
  res.on("error", finish);
  // Liveness is ours to judge (heartbeats, stall timer), not the server's idle-socket timeout.
  request.raw.socket.setTimeout(0);
  // Headers set by hooks so far (helmet's) are kept; writeHead sends them with the SSE ones.
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) res.setHeader(name, value);
  }
  res.writeHead(200, {
    // SSE is UTF-8 by definition; no charset parameter.
    "content-type": "text/event-stream",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    // nginx (and proxies that honour it) must pass each frame on at once, not buffer the response.
    "x-accel-buffering": "no",
    "x-request-id": request.id,
  });
  res.write(`retry: ${RETRY_MS}\n: stream of changes after seq ${lastSeq}\n\n`);
  if (revocations.isRevoked(sessionId)) return target.revoke();
  await pump();
}
