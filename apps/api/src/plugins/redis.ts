import type { FastifyInstance } from "fastify";
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
    // A command fails after one reconnect attempt instead of queueing for as long as Redis is away,
    // so a throttle check degrades (see rate-limit.ts) rather than holding requests open.
    maxRetriesPerRequest: 1,
  });
  redis.on("error", (error) => app.log.warn({ err: error }, "redis connection error"));
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
