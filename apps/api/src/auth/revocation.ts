import { gt, lte, sql } from "drizzle-orm";
import type { Database, Executor } from "../db/client.ts";
import { revokedSessions } from "../db/schema.ts";
import { CLOCK_SKEW_SECONDS } from "./access-tokens.ts";

const PURGE_INTERVAL_MS = 60_000;

export interface RevokedSession {
  sessionId: string;
  /** Epoch ms after which no access token of the session can be valid anyway. */
  expiresAt: number;
}

/**
 * Revoked sessions whose access tokens may still be unexpired, held in memory so that checking
 * a request costs a Map lookup, not a database round trip. Loaded at start-up, updated by this
 * instance's revocations and by `onRemoteRevocation` (other instances, through a broadcaster).
 */
export interface RevocationList {
  isRevoked(sessionId: string): boolean;
  /** Records revocations in the transaction; call `publish` with the result after it commits. */
  record(tx: Executor, userId: string, sessionIds: string[]): Promise<RevokedSession[]>;
  /** Applies committed revocations locally and tells the other instances. */
  publish(revoked: RevokedSession[]): void;
  /** Revocations learnt from another instance. */
  applyRemote(revoked: RevokedSession[]): void;
  /** Re-reads the table (start-up, and after a lost connection to the broadcaster). */
  reload(): Promise<void>;
  /** Plugs in cross-instance broadcasting (Redis) when configured. */
  setBroadcaster(broadcast: ((revoked: RevokedSession[]) => void) | null): void;
  /**
   * Calls `listener` with every revocation applied here (this instance's, remote ones, reloads),
   * e.g. to end a revoked session's open event streams at once. Returns the unsubscribe function.
   */
  onRevoked(listener: (sessionIds: string[]) => void): () => void;
  size(): number;
  close(): void;
}

export async function createRevocationList(db: Database, accessTtlSeconds: number): Promise<RevocationList> {
  const revoked = new Map<string, number>();
  let broadcast: ((revoked: RevokedSession[]) => void) | null = null;
  const listeners = new Set<(sessionIds: string[]) => void>();

  const apply = (entries: RevokedSession[]) => {
    for (const entry of entries) revoked.set(entry.sessionId, entry.expiresAt);
    if (entries.length === 0) return;
    const sessionIds = entries.map((entry) => entry.sessionId);
    for (const listener of listeners) listener(sessionIds);
  };

  async function reload() {
    const rows = await db
      .select({ sessionId: revokedSessions.sessionId, expiresAt: revokedSessions.expiresAt })
      .from(revokedSessions)
      .where(gt(revokedSessions.expiresAt, new Date()));
    apply(rows.map((row) => ({ sessionId: row.sessionId, expiresAt: row.expiresAt.getTime() })));
  }

  async function purge() {
    const now = Date.now();
    for (const [sessionId, expiresAt] of revoked) if (expiresAt <= now) revoked.delete(sessionId);
    await db.delete(revokedSessions).where(lte(revokedSessions.expiresAt, new Date(now)));
  }

  await reload();
  const timer = setInterval(() => {
    purge().catch(() => {
      // Expired rows are harmless; the next tick tries again.
    });
  }, PURGE_INTERVAL_MS);
  timer.unref();

  return {
    isRevoked: (sessionId) => revoked.has(sessionId),
    async record(tx, userId, sessionIds) {
      if (sessionIds.length === 0) return [];
      const revokedAt = new Date();
      const expiresAt = new Date(revokedAt.getTime() + (accessTtlSeconds + CLOCK_SKEW_SECONDS) * 1000);
      await tx
        .insert(revokedSessions)
        .values(sessionIds.map((sessionId) => ({ userId, sessionId, revokedAt, expiresAt })))
        .onConflictDoUpdate({
          target: [revokedSessions.userId, revokedSessions.sessionId],
          set: { expiresAt: sql`excluded.expires_at` },
        });
      return sessionIds.map((sessionId) => ({ sessionId, expiresAt: expiresAt.getTime() }));
    },
    publish(entries) {
      if (entries.length === 0) return;
      apply(entries);
      broadcast?.(entries);
    },
    applyRemote: apply,
    reload,
    setBroadcaster(next) {
      broadcast = next;
    },
    onRevoked(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    size: () => revoked.size,
    close: () => clearInterval(timer),
  };
}
