import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, buildTestApp, PASSWORD, signUp, type TestApp, uniqueEmail } from "../helpers/app.ts";
import { concreteUrl, declaredRoutes, isPublicRoute } from "../helpers/routes.ts";
import { startMailbox, type TestMailbox, tokenOf } from "../helpers/smtp.ts";

// The deployment's account policies: AUTH_SIGNUP=closed, AUTH_REQUIRE_VERIFIED_EMAIL=true, and the
// throttles on reset-link requests.

let mailbox: TestMailbox;
beforeAll(async () => {
  mailbox = await startMailbox();
});
afterAll(() => mailbox?.close());

describe("AUTH_SIGNUP=closed", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ AUTH_SIGNUP: "closed" });
  });
  afterAll(() => t?.close());

  it("answers POST /auth/signup with 403 signup_closed, whatever the body", async () => {
    for (const payload of [{ email: uniqueEmail(), password: PASSWORD }, { nonsense: true }]) {
      const response = await t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload });
      expect(response.statusCode).toBe(403);
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 403, code: "signup_closed" });
    }
  });

  it("tells sign-in pages without a token that sign-up is closed (GET /auth/config)", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/v1/auth/config" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ signup: "closed" });
    const open = await buildTestApp();
    try {
      expect((await open.app.inject({ method: "GET", url: "/api/v1/auth/config" })).json()).toEqual({ signup: "open" });
    } finally {
      await open.close();
    }
  });
});

describe("AUTH_REQUIRE_VERIFIED_EMAIL=true", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ AUTH_REQUIRE_VERIFIED_EMAIL: "true", SMTP_URL: mailbox.url, MAIL_POLL_SECONDS: "0.05" });
  });
  afterAll(() => t?.close());

  it("answers 403 email_unverified until the email is verified, except GET /me, resending, signing out and deleting", async () => {
    const email = uniqueEmail("unverified");
    const session = await signUp(t.app, email);
    const api = as(t.app, session);
    for (const [method, url] of [
      ["GET", "/api/v1/todos"],
      ["POST", "/api/v1/todos"],
      ["GET", "/api/v1/me/preferences"],
      ["GET", "/api/v1/auth/sessions"],
      ["PUT", "/api/v1/me/email"],
    ] as const) {
      const response = await api({ method, url, payload: method === "GET" ? undefined : { title: "x" } });
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().code).toBe("email_unverified");
    }
    expect((await api({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
    expect((await api({ method: "POST", url: "/api/v1/me/email/verification" })).statusCode).toBe(202);

    const mail = await mailbox.waitFor((candidate) => candidate.to === email);
    const verified = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/email/verify",
      payload: { token: tokenOf(mail) },
    });
    expect(verified.statusCode).toBe(200);
    expect((await api({ method: "GET", url: "/api/v1/todos" })).statusCode).toBe(200);
  });

  it("opens exactly GET /me, resending, signing out and deleting to an unverified account, on every declared route", async () => {
    // Read from the app's route tree: a route added later is refused unless it says otherwise.
    const allowed = [
      "GET /api/v1/me",
      "POST /api/v1/me/email/verification",
      "POST /api/v1/auth/signout",
      "POST /api/v1/auth/signout-all",
      "DELETE /api/v1/me",
    ];
    const session = await signUp(t.app);
    const api = as(t.app, session);
    const open: string[] = [];
    for (const route of declaredRoutes(t.app).filter((candidate) => !isPublicRoute(candidate))) {
      const name = `${route.method} ${route.url}`;
      if (allowed.includes(name)) continue;
      const response = await api({ method: route.method as "GET", url: concreteUrl(route), payload: {} });
      const code = String(response.headers["content-type"]).includes("json") ? response.json().code : undefined;
      if (response.statusCode !== 403 || code !== "email_unverified")
        open.push(`${name} → ${response.statusCode} ${code}`);
    }
    expect(open).toEqual([]);
    // The allowed ones answer (this session signs out last).
    expect((await api({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
    expect((await api({ method: "POST", url: "/api/v1/me/email/verification" })).statusCode).not.toBe(403);
    expect((await api({ method: "POST", url: "/api/v1/auth/signout" })).statusCode).toBe(204);
  });

  it("lets an unverified account sign out, sign out everywhere and delete itself", async () => {
    const api = as(t.app, await signUp(t.app));
    expect((await api({ method: "POST", url: "/api/v1/auth/signout-all" })).statusCode).toBe(204);
    const other = as(t.app, await signUp(t.app));
    expect((await other({ method: "POST", url: "/api/v1/auth/signout" })).statusCode).toBe(204);
    const leaving = as(t.app, await signUp(t.app));
    expect((await leaving({ method: "DELETE", url: "/api/v1/me", payload: { password: PASSWORD } })).statusCode).toBe(
      204,
    );
  });

  it("still refuses a missing token with 401, not 403", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/v1/todos" })).statusCode).toBe(401);
  });
});

describe("reset-link throttles", () => {
  let t: TestApp;
  let counter = 0;
  const freshIp = () => `203.0.113.${++counter}`;
  const forgot = (email: string, ip: string) =>
    t.app.inject({ method: "POST", url: "/api/v1/auth/password/forgot", payload: { email }, remoteAddress: ip });
  beforeAll(async () => {
    t = await buildTestApp({ AUTH_RATE_LIMIT: "on", AUTH_FORGOT_ADDRESS_LIMIT: "3", AUTH_FORGOT_IP_LIMIT: "5" });
  });
  afterAll(() => t?.close());

  it("throttles one address, known or not, alike: 429 with Retry-After", async () => {
    const known = uniqueEmail("throttled-known");
    await signUp(t.app, known);
    const unknown = uniqueEmail("throttled-unknown");
    const answers: { known: number[]; unknown: number[] } = { known: [], unknown: [] };
    for (let i = 0; i < 4; i++) {
      answers.known.push((await forgot(known, freshIp())).statusCode);
      answers.unknown.push((await forgot(unknown, freshIp())).statusCode);
    }
    expect(answers.known).toEqual([202, 202, 202, 429]);
    expect(answers.unknown).toEqual(answers.known);
    const [forKnown, forUnknown] = [await forgot(known, freshIp()), await forgot(unknown, freshIp())];
    expect(Number(forKnown.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(forKnown.json().code).toBe("rate_limited");
    expect(forUnknown.json().code).toBe("rate_limited");
    expect(forUnknown.headers["retry-after"]).toBeDefined();
  });

  it("throttles one client across addresses", async () => {
    const ip = freshIp();
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await forgot(uniqueEmail("spray"), ip)).statusCode);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    expect((await forgot(uniqueEmail("spray"), freshIp())).statusCode).toBe(202);
  });
});
