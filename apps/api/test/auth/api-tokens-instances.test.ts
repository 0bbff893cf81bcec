import type { CreatedApiToken } from "@taskvault/contract/api-tokens";
import type { Session } from "@taskvault/contract/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, PASSWORD, signUp, type TestApp } from "../helpers/app.ts";
import { type InstancesOnRedis, twoInstancesOnRedis } from "../helpers/redis.ts";
import { until } from "../helpers/until.ts";

// Two app instances on one database and one Redis: a token verified (and cached) by one instance
// is refused there at once when the other revokes it, through the session revocation broadcast.

const redisUrl = process.env.TEST_REDIS_URL;
if (!redisUrl) console.warn("\n[taskvault] API token cross-instance tests SKIPPED: TEST_REDIS_URL is not set\n");

describe.skipIf(!redisUrl)("API tokens across instances sharing Redis", () => {
  let pair: InstancesOnRedis;
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    pair = await twoInstancesOnRedis(redisUrl!);
    ({ a, b } = pair);
  });
  afterAll(() => pair?.close());

  async function createOn(t: TestApp, session: Session): Promise<CreatedApiToken> {
    const response = await as(
      t.app,
      session,
    )({
      method: "POST",
      url: "/api/v1/me/tokens",
      payload: { name: "shared", scopes: ["todos:read"], password: PASSWORD },
    });
    expect(response.statusCode).toBe(201);
    return response.json();
  }
  const listOn = (t: TestApp, token: string) =>
    as(t.app, { accessToken: token })({ method: "GET", url: "/api/v1/todos" });

  it("a token revoked on one instance is refused by the other, which had it cached, within milliseconds", async () => {
    const session = await signUp(a.app);
    const created = await createOn(a, session);
    // B verifies the token and caches it for a minute: without the broadcast it would keep saying 200.
    expect((await listOn(b, created.token)).statusCode).toBe(200);
    expect((await listOn(b, created.token)).statusCode).toBe(200);

    const revoked = await as(a.app, session)({ method: "DELETE", url: `/api/v1/me/tokens/${created.id}` });
    expect(revoked.statusCode).toBe(204);
    const ms = await until(async () => (await listOn(b, created.token)).statusCode === 401, 1000);
    console.info(`[api tokens] revocation reached the other instance in ${ms.toFixed(1)} ms`);
    expect((await listOn(a, created.token)).statusCode).toBe(401);
  });

  it("deleting the account on one instance makes the other refuse its tokens at once", async () => {
    const session = await signUp(a.app);
    const created = await createOn(a, session);
    expect((await listOn(b, created.token)).statusCode).toBe(200);
    const deleted = await as(a.app, session)({ method: "DELETE", url: "/api/v1/me", payload: { password: PASSWORD } });
    expect(deleted.statusCode).toBe(204);
    await until(async () => (await listOn(b, created.token)).statusCode === 401, 1000);
  });
});
