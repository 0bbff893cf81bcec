import type { Session } from "@taskvault/contract/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeSessionsIn } from "../src/auth/sessions.ts";
import { ACCOUNT_FREE_FAILURES } from "../src/plugins/rate-limit.ts";
import { as, PASSWORD, signUp, type TestApp, uniqueEmail } from "./helpers/app.ts";
import { cutRevocationSubscribers, type InstancesOnRedis, twoInstancesOnRedis } from "./helpers/redis.ts";
import { until } from "./helpers/until.ts";

// Two app instances in this process on one database and one Redis: what REDIS_URL adds. The same
// points between real processes on PostgreSQL are in multi-instance.test.ts.

const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl) console.warn("\n[taskvault] Redis tests SKIPPED: TEST_REDIS_URL is not set\n");

describe.skipIf(!redisUrl)("instances sharing Redis", () => {
  let pair: InstancesOnRedis;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    pair = await twoInstancesOnRedis(redisUrl!, { AUTH_RATE_LIMIT: "on", AUTH_SIGNUP_IP_LIMIT: "2" });
    ({ a, b } = pair);
  });
  afterAll(() => pair?.close());

  const me = (t: TestApp, session: Session) => as(t.app, session)({ method: "GET", url: "/api/v1/me" });

  it("shares the per-address limits: requests to either instance count against one budget", async () => {
    const signUpOn = (t: TestApp) =>
      t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: { email: uniqueEmail(), password: PASSWORD },
        remoteAddress: "198.51.100.77",
      });
    expect((await signUpOn(a)).statusCode).toBe(201);
    expect((await signUpOn(b)).statusCode).toBe(201);
    const third = await signUpOn(a);
    expect(third.statusCode).toBe(429);
    expect(third.headers["retry-after"]).toBeDefined();
    expect((await pair.admin.keys(`${pair.prefix}rate-limit:*`)).length).toBeGreaterThan(0);
  });

  it("shares the per-account back-off: failures on one instance slow the next attempt on the other", async () => {
    const email = uniqueEmail();
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) {
      const t = i % 2 ? a : b;
      const response = await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signin",
        payload: { email, password: "wrong guess" },
        remoteAddress: `198.51.100.${100 + i}`,
      });
      expect(response.statusCode).toBe(401);
    }
    const throttled = await a.app.inject({
      method: "POST",
      url: "/api/v1/auth/signin",
      payload: { email, password: "wrong guess" },
      remoteAddress: "198.51.100.200",
    });
    expect(throttled.statusCode).toBe(429);
  });

  it("refuses a session signed out on one instance on the other within a second", async () => {
    const session = await signUp(a.app);
    expect((await me(b, session)).statusCode).toBe(200);
    expect((await as(a.app, session)({ method: "POST", url: "/api/v1/auth/signout" })).statusCode).toBe(204);
    const delay = await until(async () => (await me(b, session)).statusCode === 401, 1_000);
    expect(delay).toBeLessThan(1_000);
  });

  it("reloads the revoked sessions after a lost Redis connection, so a revocation it missed still counts", async () => {
    const session = await signUp(a.app);
    expect((await me(b, session)).statusCode).toBe(200);
    // A revocation that reaches the database but whose message never arrives (as if published
    // while the subscribers were cut off).
    await pair.database.handle.db.transaction((tx) =>
      revokeSessionsIn(a.app.auth, tx, session.user.id, { allExcept: null }, "test"),
    );
    expect((await me(b, session)).statusCode).toBe(200);
    // Cut every subscriber of this test's channel; they reconnect, re-subscribe and reload.
    expect(await cutRevocationSubscribers(pair.admin, pair.prefix)).toBe(2);
    const delay = await until(async () => (await me(b, session)).statusCode === 401, 5_000);
    expect(delay).toBeLessThan(5_000);
  });
});
