import type { FastifyBaseLogger } from "fastify";
import type { Redis } from "ioredis";
import { isUuid } from "../ids.ts";
import { reportOutages } from "../plugins/redis.ts";
import type { RevocationList, RevokedSession } from "./revocation.ts";

/**
 * A backstop re-read of the revoked table, for the one case pub/sub cannot cover: an instance that
 * revoked a session while its own publish failed. Normal propagation is the message (milliseconds).
 */
const BACKSTOP_RELOAD_MS = 15_000;
/** While the channel is down, revocations are read from the database this often (docs/deploy.md). */
const OUTAGE_RELOAD_MS = 1_000;
/** How long start-up waits for the first subscription before giving up. */
const SUBSCRIBE_TIMEOUT_MS = 5_000;

export interface RevocationBroadcast {
  close(): Promise<void>;
}

function parseMessage(message: string): RevokedSession[] | null {
  let value: unknown;
  try {
    value = JSON.parse(message);
  } catch {
    return null;
  }
  if (!Array.isArray(value)) return null;
  const entries = value.filter(
    (entry): entry is RevokedSession =>
      typeof entry === "object" &&
      entry !== null &&
      isUuid((entry as RevokedSession).sessionId) &&
      Number.isFinite((entry as RevokedSession).expiresAt),
  );
  return entries.map(({ sessionId, expiresAt }) => ({ sessionId, expiresAt }));
}

/**
 * Keeps every instance's in-memory revoked set current: a revocation committed on one instance is
 * published on a Redis channel and applied by the others as it arrives. The subscriber has its own
 * connection. Each time it (re)connects it subscribes first and only then re-reads the revoked
 * table, so a revocation published while it was away is in the table it reads, and one published
 * after is delivered: none is missed across a Redis restart or a network cut.
 */
export async function startRevocationBroadcast(options: {
  redis: Redis;
  channel: string;
  revocations: RevocationList;
  log: FastifyBaseLogger;
}): Promise<RevocationBroadcast> {
  const { redis, channel, revocations, log } = options;
  // autoResubscribe off: the ready handler subscribes itself, so it knows when to reload. The
  // connection is named after the channel so operators (and tests) can find it in CLIENT LIST.
  const subscriber = redis.duplicate({
    autoResubscribe: false,
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    connectionName: channel.replace(/[^\w:.-]/g, "_"),
  });
  reportOutages(subscriber, log, "revocation channel");
  subscriber.on("message", (from, message) => {
    if (from !== channel) return;
    const entries = parseMessage(message);
    if (entries) revocations.applyRemote(entries);
    else log.warn("ignored a malformed revocation message");
  });

  let resolveFirst: () => void = () => {};
  const firstSubscription = new Promise<void>((resolve) => {
    resolveFirst = resolve;
  });
  let reconnects = 0;
  subscriber.on("ready", () => {
    const attempt = reconnects++;
    subscriber
      .subscribe(channel)
      .then(() => revocations.reload())
      .then(
        () => {
          if (attempt > 0) log.info("revocation channel re-subscribed; revoked sessions reloaded");
          resolveFirst();
        },
        (error: unknown) => log.error({ err: error }, "could not re-subscribe to revocations; retrying on reconnect"),
      );
  });

  let timeout: NodeJS.Timeout | undefined;
  try {
    await subscriber.connect();
    await Promise.race([
      firstSubscription,
      new Promise<never>((_resolve, reject) => {
        timeout = setTimeout(
          () => reject(new Error("Timed out subscribing to the revocation channel")),
          SUBSCRIBE_TIMEOUT_MS,
        );
      }),
    ]);
  } catch (error) {
    subscriber.disconnect();
    throw error;
  } finally {
    clearTimeout(timeout);
  }

  revocations.setBroadcaster((entries) => {
    redis.publish(channel, JSON.stringify(entries)).catch((error: unknown) => {
      log.error({ err: error }, "could not publish a revocation; other instances see it at their next reload");
    });
  });

  // Pub/sub carries the normal case; the database is read every 15 s as a backstop, and every
  // second while the channel is down, so a revocation reaches every instance within about 2 s.
  let lastReload = Date.now();
  const backstop = setInterval(() => {
    const isDown = subscriber.status !== "ready";
    if (!isDown && Date.now() - lastReload < BACKSTOP_RELOAD_MS) return;
    lastReload = Date.now();
    revocations.reload().catch(() => {
      // The next tick tries again.
    });
  }, OUTAGE_RELOAD_MS);
  backstop.unref();

  return {
    async close() {
      clearInterval(backstop);
      revocations.setBroadcaster(null);
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
