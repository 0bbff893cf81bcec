import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Session } from "@taskvault/contract/auth";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../src/auth/totp.ts";
import { createTestDatabase, PASSWORD, type TestDatabase, uniqueEmail } from "./helpers/app.ts";
import { API_ROOT, type ServerProcess, startServer } from "./helpers/process.ts";
import { cutRevocationSubscribers } from "./helpers/redis.ts";
import { until } from "./helpers/until.ts";

// Two real API processes on loopback, one PostgreSQL database, one Redis: the deployment shape of
// docs/deploy.md. Runs once, in the postgres project, when CI provides both services.

const databaseUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const skipReason = !databaseUrl
  ? "TEST_DATABASE_URL is not set"
  : !redisUrl
    ? "TEST_REDIS_URL is not set"
    : process.env.TASKVAULT_TEST_DB !== "postgres"
      ? "they run once, in the postgres project"
      : null;
if (skipReason)
  console.warn(`\n[taskvault] multi-instance tests SKIPPED (${process.env.TASKVAULT_TEST_DB}): ${skipReason}\n`);

const GRACE_SECONDS = 3;
const prefix = `taskvault-mi-${randomBytes(4).toString("hex")}:`;

let addressCounter = 0;
/** Every client gets its own address (the instances trust loopback as their proxy), so limits never collide. */
const freshAddress = () => `203.0.113.${++addressCounter}`;

interface Response {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: bodies of many shapes; the assertions check them
  body: any;
}

async function call(
  server: ServerProcess,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; from?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = { "x-forwarded-for": options.from ?? freshAddress() };
  if (options.body !== undefined) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

describe.skipIf(skipReason !== null)("several API instances on PostgreSQL and Redis", () => {
  let database: TestDatabase;
  let a: ServerProcess;
  let b: ServerProcess;
  let admin: Redis;
  const dataDirs: string[] = [];

  const sql = <T>(text: string, params: unknown[] = []) =>
    (database.handle.db as unknown as { $client: { unsafe(q: string, p: unknown[]): Promise<T[]> } }).$client.unsafe(
      text,
      params,
    );

  beforeAll(async () => {
    database = await createTestDatabase();
    admin = new Redis(redisUrl!);
    const shared = {
      DATABASE_URL: database.url!,
      REDIS_URL: redisUrl!,
      REDIS_KEY_PREFIX: prefix,
      AUTH_KEY_SECRET: randomBytes(32).toString("base64"),
      AUTH_REFRESH_REUSE_GRACE: String(GRACE_SECONDS),
      AUTH_RATE_LIMIT: "on",
      AUTH_SIGNUP_IP_LIMIT: "3",
      AUTH_REFRESH_IP_LIMIT: "1000",
      TRUST_PROXY: "127.0.0.1",
    };
    const start = () => {
      const dataDir = mkdtempSync(join(tmpdir(), "taskvault-mi-"));
      dataDirs.push(dataDir);
      return startServer({ ...shared, DATA_DIR: dataDir }, 60_000);
    };
    // Started together, so both race for the migrations and the first signing key.
    [a, b] = await Promise.all([start(), start()]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
    if (admin) {
      const keys = await admin.keys(`${prefix}*`);
      if (keys.length > 0) await admin.del(...keys);
      await admin.quit();
    }
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  async function signUpOn(server: ServerProcess, email = uniqueEmail("mi")): Promise<Session> {
    const response = await call(server, "POST", "/api/v1/auth/signup", { body: { email, password: PASSWORD } });
    expect(response.status).toBe(201);
    return response.body;
  }
  const me = (server: ServerProcess, session: Pick<Session, "accessToken">) =>
    call(server, "GET", "/api/v1/me", { token: session.accessToken });

  it("applies the migrations exactly once although both instances started at the same moment", async () => {
    const journal = JSON.parse(readFileSync(join(API_ROOT, "drizzle", "meta", "_journal.json"), "utf8"));
    const applied = await sql<{ tag: string }>("select tag from taskvault_migrations order by tag");
    expect(applied.map((row) => row.tag)).toEqual(journal.entries.map((entry: { tag: string }) => entry.tag).sort());
    const keys = await sql<{ count: string }>("select count(*) as count from signing_keys where retired_at is null");
    expect(Number(keys[0]?.count)).toBe(1);
  });

  it("accepts each other's tokens and publishes the same key set", async () => {
    const session = await signUpOn(a);
    expect((await me(b, session)).status).toBe(200);
    const fromB = await signUpOn(b);
    expect((await me(a, fromB)).status).toBe(200);
    const [jwksA, jwksB] = await Promise.all([
      call(a, "GET", "/.well-known/jwks.json"),
      call(b, "GET", "/.well-known/jwks.json"),
    ]);
    expect(jwksA.body).toEqual(jwksB.body);
  });

  it("refuses a session revoked on one instance on the other within a second", async () => {
    const delays: number[] = [];
    for (const [revoker, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const session = await signUpOn(revoker);
      expect((await me(other, session)).status).toBe(200);
      const signOut = await call(revoker, "POST", "/api/v1/auth/signout", { token: session.accessToken });
      expect(signOut.status).toBe(204);
      delays.push(await until(async () => (await me(other, session)).status === 401, 1_000));
    }
    console.info(`[taskvault] revocation reached the other instance after ${delays.join(" ms, ")} ms`);
    for (const delay of delays) expect(delay).toBeLessThan(1_000);
  });

  it("ends another device's session everywhere when the user revokes it on either instance", async () => {
    const email = uniqueEmail("device");
    const laptop = await signUpOn(a, email);
    const phone = (await call(b, "POST", "/api/v1/auth/signin", { body: { email, password: PASSWORD } }))
      .body as Session;
    const list = await call(b, "GET", "/api/v1/auth/sessions", { token: laptop.accessToken });
    const phoneId = list.body.find((session: { current: boolean }) => !session.current).id;
    expect((await call(b, "DELETE", `/api/v1/auth/sessions/${phoneId}`, { token: laptop.accessToken })).status).toBe(
      204,
    );
    await until(async () => (await me(a, phone)).status === 401, 1_000);
    expect((await me(b, phone)).status).toBe(401);
    expect((await me(a, laptop)).status).toBe(200);
  });

  it("misses no revocation across a Redis reconnect: each instance reloads the revoked set", async () => {
    const session = await signUpOn(a);
    const other = await signUpOn(b);
    expect((await me(b, session)).status).toBe(200);
    // One revocation lands in the database with no message at all, as if published while the
    // subscribers were cut off; pub/sub alone would never tell the instances about it.
    await sql("update sessions set revoked_at = now(), revoke_reason = 'test' where user_id = $1", [session.user.id]);
    await sql(
      `insert into revoked_sessions (user_id, session_id, revoked_at, expires_at)
       select user_id, id, now(), now() + interval '1 hour' from sessions where user_id = $1`,
      [session.user.id],
    );
    expect((await me(b, session)).status).toBe(200);
    expect(await cutRevocationSubscribers(admin, prefix)).toBe(2);
    // And one made through the API right after the cut, while the subscribers reconnect.
    expect((await call(b, "POST", "/api/v1/auth/signout", { token: other.accessToken })).status).toBe(204);
    const reload = await until(
      async () => (await me(a, session)).status === 401 && (await me(b, session)).status === 401,
      5_000,
    );
    await until(async () => (await me(a, other)).status === 401, 5_000);
    console.info(`[taskvault] after a Redis disconnect both instances had reloaded within ${reload} ms`);
  });

  it("shares the rate-limit counters", async () => {
    const from = freshAddress();
    for (const server of [a, b, a]) {
      const response = await call(server, "POST", "/api/v1/auth/signup", {
        body: { email: uniqueEmail("limit"), password: PASSWORD },
        from,
      });
      expect(response.status).toBe(201);
    }
    for (const server of [b, a]) {
      const refused = await call(server, "POST", "/api/v1/auth/signup", {
        body: { email: uniqueEmail("limit"), password: PASSWORD },
        from,
      });
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe("rate_limited");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    }
  });

  it("spends a TOTP code once across instances: the same code sent to both at once opens one session", async () => {
    // Three accounts, one race each: set up on a, confirmed on b, then one code to both instances.
    const races = await Promise.all(
      [0, 1, 2].map(async () => {
        const email = uniqueEmail("mi-totp");
        const session = await signUpOn(a, email);
        const started = await call(a, "POST", "/api/v1/me/mfa/totp", {
          token: session.accessToken,
          body: { password: PASSWORD },
        });
        expect(started.status).toBe(200);
        const { secret } = started.body as { secret: string };
        const confirmed = await call(b, "POST", "/api/v1/me/mfa/totp/confirm", {
          token: session.accessToken,
          body: { code: totpCode(secret) },
        });
        expect(confirmed.status).toBe(200);
        // Each instance gets its own client; the second step must come from the same one.
        const [fromA, fromB] = [freshAddress(), freshAddress()];
        const steps = await Promise.all(
          [
            [a, fromA],
            [b, fromB],
          ].map(async ([server, from]) => {
            const step = await call(server as ServerProcess, "POST", "/api/v1/auth/signin", {
              body: { email, password: PASSWORD },
              from: from as string,
            });
            expect(step.body.mfaRequired).toBe(true);
            return step.body.mfaToken as string;
          }),
        );
        // The next step's code: later than the one the confirmation spent, and within one step of now.
        const code = totpCode(secret, Date.now() + 30_000);
        const answers = await Promise.all([
          call(a, "POST", "/api/v1/auth/signin/mfa", { body: { mfaToken: steps[0], code }, from: fromA }),
          call(b, "POST", "/api/v1/auth/signin/mfa", { body: { mfaToken: steps[1], code }, from: fromB }),
        ]);
        return answers;
      }),
    );
    for (const answers of races) {
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
      const refused = answers.find((answer) => answer.status === 401)!;
      expect(refused.body.code).toBe("invalid_code");
      expect(answers.find((answer) => answer.status === 200)!.body.accessToken).toEqual(expect.any(String));
    }
  });

  it("survives 20 concurrent refreshes of one token split across both instances", async () => {
    const session = await signUpOn(a);
    const sessionId = (await sql<{ id: string }>("select id from sessions where user_id = $1", [session.user.id]))[0]!
      .id;
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        call(i % 2 ? a : b, "POST", "/api/v1/auth/refresh", { body: { refreshToken: session.refreshToken } }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    const live = await sql<{ count: string }>(
      "select count(*) as count from refresh_tokens where user_id = $1 and session_id = $2 and spent_at is null",
      [session.user.id, sessionId],
    );
    if (statuses.every((status) => status === 200)) {
      // All within the grace: one winner, the others got the same successor; one chain goes on.
      expect(new Set(responses.map((response) => response.body.refreshToken)).size).toBe(1);
      expect(Number(live[0]?.count)).toBe(1);
      const latest = responses[0]!.body as Session;
      expect((await me(a, latest)).status).toBe(200);
      expect((await me(b, latest)).status).toBe(200);
      const next = await call(b, "POST", "/api/v1/auth/refresh", { body: { refreshToken: latest.refreshToken } });
      expect(next.status).toBe(200);
      expect((await me(a, next.body)).status).toBe(200);
    } else {
      // A straggler came after the grace (a slow machine): then the session must be dead on both.
      expect(statuses.every((status) => status === 200 || status === 401)).toBe(true);
      for (const response of responses.filter((r) => r.status === 200)) {
        await until(
          async () => (await me(a, response.body)).status === 401 && (await me(b, response.body)).status === 401,
          1_000,
        );
      }
      expect(Number(live[0]?.count)).toBe(0);
    }
  });

  it("treats a spent refresh token presented after the grace as stolen: the session dies on both instances", async () => {
    const session = await signUpOn(a);
    const rotated = await call(a, "POST", "/api/v1/auth/refresh", { body: { refreshToken: session.refreshToken } });
    expect(rotated.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, GRACE_SECONDS * 1000 + 300));
    const reuse = await call(b, "POST", "/api/v1/auth/refresh", { body: { refreshToken: session.refreshToken } });
    expect(reuse.status).toBe(401);
    expect(reuse.body.code).toBe("invalid_refresh_token");
    await until(async () => (await me(a, rotated.body)).status === 401, 1_000);
    expect((await me(b, rotated.body)).status).toBe(401);
    for (const server of [a, b]) {
      const refresh = await call(server, "POST", "/api/v1/auth/refresh", {
        body: { refreshToken: rotated.body.refreshToken },
      });
      expect(refresh.status).toBe(401);
    }
    const events = await sql<{ type: string }>("select type from auth_events where user_id = $1 order by id desc", [
      session.user.id,
    ]);
    expect(events[0]?.type).toBe("refresh_token_reused");
  });
});
