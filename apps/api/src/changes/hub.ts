import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { RevocationList } from "../auth/revocation.ts";
import type { Database } from "../db/client.ts";
import { rowsOf } from "../db/rows.ts";
import { changeSeqs, pendingChanges } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { reportOutages } from "../plugins/redis.ts";

declare module "fastify" {
  interface FastifyInstance {
    /** The open event streams of this instance (stats for tests and benchmarks). */
    changeHub: ChangeHub;
  }
}

/** Seconds a client turned away for too many streams is asked to wait. */
const RETRY_AFTER_SECONDS = 5;
/**
 * How often the hub looks at the logs of the users it holds streams for (docs/decisions/018).
 * Without Redis, on PostgreSQL, that look is how a write made through another instance arrives:
 * a quarter of a second. Otherwise it is only the catch-up for a wake-up that never came (a lost
 * Redis message, a write outside a request), and a few seconds will do.
 */
export const POLL_MS = { acrossInstances: 250, catchUp: 5_000 } as const;
/** Methods whose requests may write; their responses publish a wake-up for the caller. */
const WRITING_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** What the hub needs from an open event stream. */
export interface StreamTarget {
  userId: string;
  sessionId: string;
  /** The user's log may have grown: read it from the stream's own position. */
  wake(): void;
  /** The stream's session was revoked: say so and end. */
  revoke(): void;
  /** The instance is shutting down: end (the client reconnects elsewhere and resumes). */
  end(): void;
  /** Bytes written but not yet taken by the client. */
  buffered(): number;
}

export interface ChangeHub {
  /** Registers a stream, or throws 429 too_many_streams. Returns its release function. */
  admit(target: StreamTarget): () => void;
  /** A write of this user's committed: wake its streams here and, through Redis, everywhere. */
  publish(userId: string): void;
  /** Open streams, users holding them, and the bytes their sockets hold back (slow clients). */
  stats(): { streams: number; users: number; buffered: number };
  close(): Promise<void>;
}

export interface ChangeHubOptions {
  db: Database;
  /** Set when REDIS_URL is: wake-ups then cross instances through it. */
  redis: Redis | null;
  /** The Redis channel of the wake-ups. */
  channel: string;
  /** How often to look at the logs of the users with open streams (POLL_MS). */
  pollMs: number;
  revocations: RevocationList;
  perUser: number;
  perInstance: number;
  log: FastifyBaseLogger;
}

/** The interval the deployment needs: see POLL_MS. */
export const pollIntervalFor = (kind: "postgres" | "pglite", redis: Redis | null) =>
  kind === "postgres" && !redis ? POLL_MS.acrossInstances : POLL_MS.catchUp;

/**
 * Routes "user X's log grew" to the open event streams of X on this instance. The signal leaves
 * the writing transaction (docs/decisions/018): after a write's response, the hub wakes the
 * writer's streams in process and publishes the user id on Redis for the other instances; a poll
 * of the users' logs catches whatever no message announced (and, without Redis on PostgreSQL, is
 * how other instances' writes arrive). A signal carries no data: each stream reads the log from its
 * own last seq, so a lost one costs latency, never a change.
 */
export async function startChangeHub(options: ChangeHubOptions): Promise<ChangeHub> {
  const { db, redis, channel, pollMs, revocations, perUser, perInstance, log } = options;
  const byUser = new Map<string, Set<StreamTarget>>();
  const bySession = new Map<string, Set<StreamTarget>>();
  let total = 0;

  const wake = (userId: string) => {
    const targets = byUser.get(userId);
    if (targets) for (const target of targets) target.wake();
  };
  const wakeAll = () => {
    for (const targets of byUser.values()) for (const target of targets) target.wake();
  };

  // Messages name their instance, so an instance does not wake its own streams twice.
  const instanceId = randomUUID();
  const subscriber = redis ? await subscribe(redis, channel, instanceId, wake, wakeAll, log) : null;

  const poll = startPolling(db, pollMs, () => [...byUser.keys()], wake, wakeAll, log);

  const stopRevocations = revocations.onRevoked((sessionIds) => {
    for (const sessionId of sessionIds) {
      const targets = bySession.get(sessionId);
      if (targets) for (const target of [...targets]) target.revoke();
    }
  });

  const add = (map: Map<string, Set<StreamTarget>>, key: string, target: StreamTarget) => {
    const set = map.get(key);
    if (set) set.add(target);
    else map.set(key, new Set([target]));
  };
  const remove = (map: Map<string, Set<StreamTarget>>, key: string, target: StreamTarget) => {
    const set = map.get(key);
    if (!set?.delete(target)) return false;
    if (set.size === 0) map.delete(key);
    return true;
  };

  return {
    admit(target) {
      const retry = { headers: { "retry-after": String(RETRY_AFTER_SECONDS) } };
      if ((byUser.get(target.userId)?.size ?? 0) >= perUser) {
        throw new AppError(
          "too_many_streams",
          `At most ${perUser} event streams per user may be open at once; close one (another tab or device) first`,
          retry,
        );
      }
      if (total >= perInstance) {
        throw new AppError(
          "too_many_streams",
          "This server holds as many event streams as it can; retry shortly",
          retry,
        );
      }
      add(byUser, target.userId, target);
      add(bySession, target.sessionId, target);
      total++;
      return () => {
        if (remove(byUser, target.userId, target)) total--;
        remove(bySession, target.sessionId, target);
      };
    },
    publish(userId) {
      wake(userId);
      redis?.publish(channel, `${instanceId} ${userId}`).catch((error: unknown) => {
        log.warn({ err: error }, "could not publish a change; other instances see it at their next poll");
      });
    },
    stats() {
      let buffered = 0;
      for (const targets of byUser.values()) for (const target of targets) buffered += target.buffered();
      return { streams: total, users: byUser.size, buffered };
    },
    async close() {
      stopRevocations();
      for (const targets of [...byUser.values()]) for (const target of [...targets]) target.end();
      poll.close();
      subscriber?.disconnect();
    },
  };
}

/**
 * Every write reaches the database through a request, and its transaction has committed by the
 * time the response is sent: the response of a writing request is when its user's streams learn
 * of it. (A write that is not a request's, or a response that never comes, is left to the poll.)
 */
export function publishWritesOnResponse(app: FastifyInstance, hub: ChangeHub): void {
  app.addHook("onResponse", async (request, reply) => {
    if (request.caller && WRITING_METHODS.has(request.method) && reply.statusCode < 400) {
      hub.publish(request.caller.userId);
    }
  });
}

/** The Redis subscription of the wake-ups, on its own connection; every stream re-reads after a reconnect. */
async function subscribe(
  redis: Redis,
  channel: string,
  instanceId: string,
  wake: (userId: string) => void,
  wakeAll: () => void,
  log: FastifyBaseLogger,
): Promise<Redis> {
  // A subscriber waits for messages: its (re)subscription queues until it is connected.
  // autoResubscribe off: ioredis's own re-subscription after a reconnect is a command nobody
  // awaits, and with the shared connection's command timeout a slow answer became an unhandled
  // rejection; the ready handler below subscribes again itself.
  const subscriber = redis.duplicate({
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    autoResubscribe: false,
    connectionName: channel.replace(/[^\w:.-]/g, "_"),
  });
  reportOutages(subscriber, log, "change channel");
  subscriber.on("message", (from, message) => {
    const [sender, userId] = message.split(" ");
    if (from === channel && sender !== instanceId && userId) wake(userId);
  });
  // Until a re-subscription holds, the streams' poll of the log (startPolling) still finds every change.
  const resubscribe = () => {
    subscriber.subscribe(channel).catch((error: unknown) => {
      log.warn({ err: error }, "could not re-subscribe to the change channel; trying again in a second");
      setTimeout(() => {
        if (subscriber.status === "ready") resubscribe();
      }, RESUBSCRIBE_DELAY_MS).unref();
    });
  };
  let connects = 0;
  // What was published while it was away is read now.
  subscriber.on("ready", () => {
    if (connects++ > 0) {
      log.info("change subscriber reconnected; open streams re-read the log");
      resubscribe();
      wakeAll();
    }
  });
  await subscriber.subscribe(channel);
  return subscriber;
}

const RESUBSCRIBE_DELAY_MS = 1_000;

/**
 * Looks at the logs of the users with open streams every `pollMs`: a user whose counter moved or
 * whose inbox holds changes has its streams woken (they sequence and read). One indexed query for
 * all of them, none while no stream is open.
 */
function startPolling(
  db: Database,
  pollMs: number,
  users: () => string[],
  wake: (userId: string) => void,
  wakeAll: () => void,
  log: FastifyBaseLogger,
) {
  const known = new Map<string, number>();
  let failing = false;
  let running = false;
  const look = async () => {
    const ids = users();
    const watched = new Set(ids);
    for (const userId of known.keys()) if (!watched.has(userId)) known.delete(userId);
    if (ids.length === 0 || running) return;
    running = true;
    try {
      const rows = rowsOf<{ user_id: string; seq: string | number | null; pending: boolean }>(
        await db.execute(sql`
          select watched.id as user_id, ${changeSeqs.seq} as seq,
            exists (select 1 from ${pendingChanges} where ${pendingChanges.userId} = watched.id) as pending
          from unnest(string_to_array(${ids.join(",")}, ',')::uuid[]) as watched (id)
          left join ${changeSeqs} on ${changeSeqs.userId} = watched.id`),
      );
      if (failing) {
        failing = false;
        log.info("change poll recovered; open streams re-read the log");
        wakeAll();
      }
      for (const row of rows) {
        const seq = Number(row.seq ?? 0);
        if (row.pending || known.get(row.user_id) !== seq) wake(row.user_id);
        known.set(row.user_id, seq);
      }
    } catch (error) {
      if (!failing) log.warn({ err: error }, "could not look at the change logs; retrying");
      failing = true;
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void look(), pollMs);
  timer.unref();
  return { close: () => clearInterval(timer) };
}
