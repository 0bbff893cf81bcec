import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { buildTestApp, createTestDatabase } from "./app.ts";

/**
 * Disconnects every revocation subscriber of one deployment (by Redis key prefix), as a network
 * cut would; returns how many were cut. The subscribers reconnect, re-subscribe and reload.
 */
export async function cutRevocationSubscribers(admin: Redis, prefix: string): Promise<number> {
  const ids = (await subscribersNamed(admin, `${prefix}revocations`))
    .map((line) => /id=(\d+)/.exec(line)?.[1])
    .filter((id): id is string => Boolean(id));
  for (const id of ids) await admin.call("CLIENT", "KILL", "ID", id);
  return ids.length;
}

/**
 * The connections subscribed to a channel (CLIENT LIST of type pubsub), found by name: each
 * subscriber is named after its channel. A connection that is back but not yet subscribed again
 * is not among them.
 */
export async function subscribersNamed(admin: Redis, name: string): Promise<string[]> {
  const clients = (await admin.call("CLIENT", "LIST", "TYPE", "pubsub")) as string;
  return clients.split("\n").filter((line) => line.includes(`name=${name}`));
}

/**
 * Two app instances in this process on one fresh database and one Redis, under a key prefix of
 * their own: the deployment REDIS_URL exists for. `admin` is a plain client on that Redis;
 * `close` stops both apps, drops the database and deletes the prefix's keys.
 */
export async function twoInstancesOnRedis(redisUrl: string, env: Record<string, string> = {}) {
  const prefix = `taskvault-test-${randomBytes(4).toString("hex")}:`;
  const database = await createTestDatabase();
  const shared = {
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    AUTH_KEY_SECRET: randomBytes(32).toString("base64"),
    ...env,
  };
  const a = await buildTestApp(shared, database);
  const b = await buildTestApp(shared, database);
  const admin = new Redis(redisUrl);
  return {
    a,
    b,
    database,
    prefix,
    admin,
    async close() {
      await a.close();
      await b.close();
      await database.drop();
      const keys = await admin.keys(`${prefix}*`);
      if (keys.length > 0) await admin.del(...keys);
      await admin.quit();
    },
  };
}

export type InstancesOnRedis = Awaited<ReturnType<typeof twoInstancesOnRedis>>;
