import type { FastifyBaseLogger } from "fastify";
import type { RevocationList } from "../auth/revocation.ts";
import type { DatabaseHandle } from "../db/client.ts";
import { AppError } from "../errors.ts";

declare module "fastify" {
  interface FastifyInstance {
    /** The open event streams of this instance (stats for tests and benchmarks). */
    changeHub: ChangeHub;
  }
}

/** The channel the change triggers notify on (drizzle/0004_change_triggers.sql); payload: the user id. */
export const CHANGES_CHANNEL = "taskvault_changes";
/** Seconds a client turned away for too many streams is asked to wait. */
const RETRY_AFTER_SECONDS = 5;

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
  /** Open streams, users holding them, and the bytes their sockets hold back (slow clients). */
  stats(): { streams: number; users: number; buffered: number };
  close(): Promise<void>;
}

export interface ChangeHubOptions {
  database: DatabaseHandle;
  revocations: RevocationList;
  perUser: number;
  perInstance: number;
  log: FastifyBaseLogger;
}

/**
 * Routes "user X's log grew" to the open event streams of X on this instance. The signal comes
 * from PostgreSQL LISTEN/NOTIFY (PGlite in process, or the shared server, so a commit made
 * through any instance reaches every instance); the triggers notify at commit. A notification
 * carries no data: each stream reads the log from its own last seq, so a lost notification
 * (listener reconnecting) costs latency, never a change — on reconnect every stream re-reads.
 */
export async function startChangeHub(options: ChangeHubOptions): Promise<ChangeHub> {
  const { database, revocations, perUser, perInstance, log } = options;
  const byUser = new Map<string, Set<StreamTarget>>();
  const bySession = new Map<string, Set<StreamTarget>>();
  let total = 0;

  const wakeAll = () => {
    for (const targets of byUser.values()) for (const target of targets) target.wake();
  };

  let connects = 0;
  const unlisten = await database.listen(
    CHANGES_CHANNEL,
    (userId) => {
      const targets = byUser.get(userId);
      if (targets) for (const target of targets) target.wake();
    },
    () => {
      if (connects++ > 0) {
        log.info("change listener reconnected; open streams re-read the log");
        wakeAll();
      }
    },
  );

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
    stats() {
      let buffered = 0;
      for (const targets of byUser.values()) for (const target of targets) buffered += target.buffered();
      return { streams: total, users: byUser.size, buffered };
    },
    async close() {
      stopRevocations();
      for (const targets of [...byUser.values()]) for (const target of [...targets]) target.end();
      await unlisten().catch((error: unknown) => log.warn({ err: error }, "could not stop listening for changes"));
    },
  };
}
