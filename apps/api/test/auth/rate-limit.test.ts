import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCOUNT_FREE_FAILURES, IP_FREE_FAILURES } from "../../src/plugins/rate-limit.ts";
import { buildTestApp, PASSWORD, signUp, type TestApp, uniqueEmail } from "../helpers/app.ts";

// Throttles with the in-process store (no REDIS_URL); the shared Redis store is covered in redis.test.ts.

let counter = 0;
/** A fresh documentation-range address per test, so tests never share a bucket. */
const freshIp = () => `198.51.100.${++counter}`;

function signInFrom(app: FastifyInstance, ip: string, email: string, password: string) {
  return app.inject({ method: "POST", url: "/api/v1/auth/signin", payload: { email, password }, remoteAddress: ip });
}

function expectThrottled(response: { statusCode: number; headers: Record<string, unknown>; json(): unknown }) {
  expect(response.statusCode).toBe(429);
  expect(response.headers["content-type"]).toContain("application/problem+json");
  expect(response.json()).toMatchObject({ status: 429, code: "rate_limited" });
  const retryAfter = Number(response.headers["retry-after"]);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
  return retryAfter;
}

describe("sign-in throttling", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({
      AUTH_RATE_LIMIT: "on",
      AUTH_SIGNIN_IP_LIMIT: "1000",
      AUTH_SIGNIN_ACCOUNT_MAX_DELAY: "2",
      AUTH_SIGNIN_IP_MAX_DELAY: "60",
    });
  });
  afterAll(() => t?.close());

  it("slows guessing on one account, but lets the owner in from another address after a short delay", async () => {
    const email = uniqueEmail("owner");
    await signUp(t.app, email);
    // The attacker spreads guesses over many addresses, so only the per-account limit applies.
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) {
      expect((await signInFrom(t.app, freshIp(), email, "wrong guess")).statusCode).toBe(401);
    }
    const throttled = await signInFrom(t.app, freshIp(), email, "wrong guess");
    expectThrottled(throttled);
    // Waiting attempts do not count, so hammering cannot push the wait beyond the maximum.
    for (let i = 0; i < 5; i++) await signInFrom(t.app, freshIp(), email, "wrong guess");
    const owner = await signInFrom(t.app, freshIp(), email, PASSWORD);
    const wait = owner.statusCode === 429 ? expectThrottled(owner) : 0;
    expect(wait).toBeLessThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000 + 50));
    expect((await signInFrom(t.app, freshIp(), email, PASSWORD)).statusCode).toBe(200);
  });

  it("throttles an unknown email exactly like a known one, so a 429 reveals no account", async () => {
    const email = uniqueEmail("nobody");
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) {
      expect((await signInFrom(t.app, freshIp(), email, "wrong guess")).statusCode).toBe(401);
    }
    expectThrottled(await signInFrom(t.app, freshIp(), email, "wrong guess"));
  });

  it("counts the address as given, whatever the case or spacing of the email", async () => {
    const email = uniqueEmail("case");
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) {
      const variant = i % 2 ? ` ${email.toUpperCase()} ` : email;
      expect((await signInFrom(t.app, freshIp(), variant, "wrong guess")).statusCode).toBe(401);
    }
    expectThrottled(await signInFrom(t.app, freshIp(), email, "wrong guess"));
  });

  it("backs off an address that fails on many accounts, and only that address", async () => {
    const ip = freshIp();
    for (let i = 0; i < IP_FREE_FAILURES; i++) {
      expect((await signInFrom(t.app, ip, uniqueEmail("spray"), "wrong guess")).statusCode).toBe(401);
    }
    expectThrottled(await signInFrom(t.app, ip, uniqueEmail("spray"), "wrong guess"));
    expect((await signInFrom(t.app, freshIp(), uniqueEmail("spray"), "wrong guess")).statusCode).toBe(401);
  });
});

describe("per-address limits", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({
      AUTH_RATE_LIMIT: "on",
      AUTH_SIGNIN_IP_LIMIT: "3",
      AUTH_SIGNUP_IP_LIMIT: "2",
      AUTH_REFRESH_IP_LIMIT: "2",
    });
  });
  afterAll(() => t?.close());

  it("limits sign-in attempts per address, successful or not, before doing any work", async () => {
    const ip = freshIp();
    const email = uniqueEmail();
    await signUp(t.app, email);
    for (let i = 0; i < 3; i++) expect((await signInFrom(t.app, ip, email, PASSWORD)).statusCode).toBe(200);
    const retryAfter = expectThrottled(await signInFrom(t.app, ip, email, PASSWORD));
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await signInFrom(t.app, freshIp(), email, PASSWORD)).statusCode).toBe(200);
  });

  it("limits sign-ups per address", async () => {
    const ip = freshIp();
    const signUpFrom = (from: string) =>
      t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: { email: uniqueEmail(), password: PASSWORD },
        remoteAddress: from,
      });
    expect((await signUpFrom(ip)).statusCode).toBe(201);
    expect((await signUpFrom(ip)).statusCode).toBe(201);
    const retryAfter = expectThrottled(await signUpFrom(ip));
    expect(retryAfter).toBeGreaterThan(60);
    expect((await signUpFrom(freshIp())).statusCode).toBe(201);
  });

  it("limits refreshes per address", async () => {
    const ip = freshIp();
    const refreshFrom = (from: string, refreshToken: string) =>
      t.app.inject({ method: "POST", url: "/api/v1/auth/refresh", payload: { refreshToken }, remoteAddress: from });
    const session = (
      await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: { email: uniqueEmail(), password: PASSWORD },
        remoteAddress: freshIp(),
      })
    ).json();
    const first = await refreshFrom(ip, session.refreshToken);
    expect(first.statusCode).toBe(200);
    expect((await refreshFrom(ip, first.json().refreshToken)).statusCode).toBe(200);
    expectThrottled(await refreshFrom(ip, "tvr_anything"));
  });

  it("groups an IPv6 client's /64, so rotating through its own prefix does not help", async () => {
    const signUpFrom = (from: string) =>
      t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: { email: uniqueEmail(), password: PASSWORD },
        remoteAddress: from,
      });
    expect((await signUpFrom("2001:db8:1:2::1")).statusCode).toBe(201);
    expect((await signUpFrom("2001:db8:1:2::2")).statusCode).toBe(201);
    expectThrottled(await signUpFrom("2001:db8:1:2:ffff::3"));
  });
});

describe("AUTH_RATE_LIMIT=off", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ AUTH_RATE_LIMIT: "off", AUTH_SIGNIN_IP_LIMIT: "1" });
  });
  afterAll(() => t?.close());

  it("turns every auth throttle off (load tests only)", async () => {
    const email = uniqueEmail();
    await signUp(t.app, email);
    for (let i = 0; i < ACCOUNT_FREE_FAILURES + 2; i++) {
      expect((await signInFrom(t.app, "198.51.100.250", email, "wrong guess")).statusCode).toBe(401);
    }
    expect((await signInFrom(t.app, "198.51.100.250", email, PASSWORD)).statusCode).toBe(200);
  });
});
