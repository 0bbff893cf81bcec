import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import type { Redis } from "ioredis";

declare module "fastify" {
  interface FastifyInstance {
    /** The shared Redis connection when REDIS_URL is set, else null (everything stays in process). */
    redis: Redis | null;
  }
}

const CONNECT_TIMEOUT_MS = 2_000;
/**
 * A Redis that hangs instead of dying (a stopped process, a dead network path) costs a command
 * this long at most; callers then fall back (throttles to memory, revocations to the database).
 */
export const REDIS_COMMAND_TIMEOUT_MS = 500;

/**
 * Logs one warning when a Redis connection goes down and one line when it is back, however many
 * reconnect attempts and failed commands lie between (decision 017).
 */
export function reportOutages(connection: Redis, log: FastifyBaseLogger, what: string): void {
  let down = false;
  connection.on("error", (error: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: error }, `${what}: Redis is unreachable; falling back until it is back`);
  });
  connection.on("ready", () => {
    if (!down) return;
    down = false;
    log.info(`${what}: Redis is back`);
  });
}

/**
 * One ioredis connection per instance, shared by the rate limiter and the revocation publisher;
 * subscribers duplicate it (a subscribed connection can do nothing else). Start-up fails when
 * REDIS_URL is set but Redis does not answer, rather than running as a silent island.
 */
export const redisPlugin = fp(async (app: FastifyInstance, options: { url: string | undefined }) => {
  if (!options.url) {
    app.decorate("redis", null);
    return;
  }
  // Loaded only when configured: a single instance never needs the client.
  const { Redis } = await import("ioredis");
  const redis: Redis = new Redis(options.url, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    // A command fails at once while Redis is away, and after REDIS_COMMAND_TIMEOUT_MS when it
    // hangs, so a throttle check falls back (see rate-limit.ts) rather than holding requests open.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  });
  reportOutages(redis, app.log, "shared state");
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new Error(`Cannot connect to Redis at REDIS_URL: ${(error as Error).message}`);
  }
  app.decorate("redis", redis);
  app.addHook("onClose", async () => {
    await redis.quit().catch(() => redis.disconnect());
  });
});
