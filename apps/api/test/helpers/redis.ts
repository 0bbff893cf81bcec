import type { Redis } from "ioredis";

/**
 * Disconnects every revocation subscriber of one deployment (by Redis key prefix), as a network
 * cut would; returns how many were cut. The subscribers reconnect, re-subscribe and reload.
 */
export async function cutRevocationSubscribers(admin: Redis, prefix: string): Promise<number> {
  const clients = (await admin.call("CLIENT", "LIST", "TYPE", "pubsub")) as string;
  const ids = clients
    .split("\n")
    .filter((line) => line.includes(`name=${prefix}revocations`))
    .map((line) => /id=(\d+)/.exec(line)?.[1])
    .filter((id): id is string => Boolean(id));
  for (const id of ids) await admin.call("CLIENT", "KILL", "ID", id);
  return ids.length;
}
