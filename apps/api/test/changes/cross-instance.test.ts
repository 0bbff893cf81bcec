import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DatabaseHandle, openDatabase } from "../../src/db/client.ts";
import { as, buildTestApp, createTestDatabase, signUp, type TestApp, type TestDatabase } from "../helpers/app.ts";
import { listen, openStream } from "./sse.ts";

// Two API instances on one PostgreSQL database: a change written through one reaches a stream held
// on the other within a second (Redis pub/sub after the commit; without Redis, the hub's poll of
// the log), and revoking the session through one ends its stream on the other. Runs in the
// postgres project only.

const redisUrl = process.env.TEST_REDIS_URL;
const skipReason = !process.env.TEST_DATABASE_URL
  ? "TEST_DATABASE_URL is not set"
  : !redisUrl
    ? "TEST_REDIS_URL is not set"
    : process.env.TASKVAULT_TEST_DB !== "postgres"
      ? "they run once, in the postgres project"
      : null;
if (skipReason) {
  console.warn(
    `\n[taskvault] cross-instance change-stream tests SKIPPED (${process.env.TASKVAULT_TEST_DB}): ${skipReason}\n`,
  );
}

describe.skipIf(skipReason !== null)("change streams across instances", () => {
  const prefix = `taskvault-changes-${randomBytes(4).toString("hex")}:`;
  let database: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let lone: TestApp;
  let urlB: string;
  let urlLone: string;
  const handles: DatabaseHandle[] = [];

  async function connectionOf(shared: TestDatabase): Promise<TestDatabase> {
    const handle = await openDatabase({ url: shared.url, poolSize: 5 });
    handles.push(handle);
    return { handle, url: shared.url, drop: async () => {} };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    const secret = randomBytes(32).toString("base64");
    const shared = { AUTH_KEY_SECRET: secret, REDIS_URL: redisUrl!, REDIS_KEY_PREFIX: prefix };
    a = await buildTestApp(shared, database);
    // Each instance has connections of its own, as separate processes would.
    b = await buildTestApp(shared, await connectionOf(database));
    // An instance without Redis: changes still reach it, through the database alone.
    lone = await buildTestApp({ AUTH_KEY_SECRET: secret }, await connectionOf(database));
    urlB = await listen(b.app);
    urlLone = await listen(lone.app);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), lone?.close()]);
    await Promise.all(handles.map((handle) => handle.close()));
    await database?.drop();
    if (redisUrl) {
      const admin = new Redis(redisUrl);
      const keys = await admin.keys(`${prefix}*`);
      if (keys.length > 0) await admin.del(...keys);
      await admin.quit();
    }
  });

  it("delivers a change made through one instance to a stream on another within a second", async () => {
    const session = await signUp(a.app);
    const onB = await openStream(urlB, session.accessToken);
    const onLone = await openStream(urlLone, session.accessToken);
    expect([onB.status, onLone.status]).toEqual([200, 200]);
    const call = as(a.app, session);
    const delays: number[] = [];
    for (let i = 1; i <= 20; i++) {
      const started = performance.now();
      const response = await call({ method: "POST", url: "/api/v1/todos", payload: { title: `via A ${i}` } });
      expect(response.statusCode).toBe(201);
      const [event] = (await onB.waitForEvents(i, 1000)).slice(-1);
      delays.push(performance.now() - started);
      expect(event!.id).toBe(String(i));
      expect(JSON.parse(event!.data).data.id).toBe(response.json().id);
    }
    await onLone.waitForEvents(20, 1000);
    expect(onLone.events.map((event) => event.id)).toEqual(onB.events.map((event) => event.id));
    expect(Math.max(...delays)).toBeLessThan(1000);
    onB.close();
    onLone.close();
  });

  it("ends the stream on another instance at once when the session is revoked", async () => {
    const session = await signUp(a.app);
    const onB = await openStream(urlB, session.accessToken);
    expect(onB.status).toBe(200);
    const started = performance.now();
    expect((await as(a.app, session)({ method: "POST", url: "/api/v1/auth/signout" })).statusCode).toBe(204);
    await onB.ended;
    expect(performance.now() - started).toBeLessThan(1000);
    expect(onB.events.at(-1)?.event).toBe("session.revoked");
  });
});
