import type { Session } from "@taskvault/contract/auth";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idempotencyKeys, refreshTokens, sessions, todos, users } from "../../src/db/schema.ts";
import { as, buildTestApp, PASSWORD, signUp, type TestApp, uniqueEmail } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t?.close());

const NEW_PASSWORD = "another quite unusual passphrase";

const signIn = async (email: string, password = PASSWORD) =>
  t.app.inject({ method: "POST", url: "/api/v1/auth/signin", payload: { email, password } });
const refresh = (session: Session) =>
  t.app.inject({ method: "POST", url: "/api/v1/auth/refresh", payload: { refreshToken: session.refreshToken } });
const me = (session: Session) => as(t.app, session)({ method: "GET", url: "/api/v1/me" });

describe("profile", () => {
  it("GET /me answers the User", async () => {
    const session = await signUp(t.app);
    const response = await me(session);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual(session.user);
    expect(Object.keys(response.json())).toEqual(expect.arrayContaining(["createdAt", "email", "id", "name"]));
  });

  it("PATCH /me changes the name, trimmed", async () => {
    const session = await signUp(t.app);
    const response = await as(
      t.app,
      session,
    )({ method: "PATCH", url: "/api/v1/me", payload: { name: "  Grace Hopper " } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: session.user.id, name: "Grace Hopper", email: session.user.email });
    expect((await me(session)).json().name).toBe("Grace Hopper");
  });

  it("PATCH /me refuses a too long name, a wrong type, unknown fields and email changes with 422", async () => {
    const session = await signUp(t.app);
    for (const payload of [
      { name: "x".repeat(101) },
      { name: 5 },
      { name: "nul\u0000byte" },
      { name: "ok", isAdmin: true },
      { email: "other@example.com" },
      { name: "ok", id: session.user.id },
    ]) {
      const response = await as(t.app, session)({ method: "PATCH", url: "/api/v1/me", payload });
      expect(response.statusCode).toBe(422);
      expect(response.json().code).toBe("validation_failed");
      expect(response.json().errors).toBeTypeOf("object");
    }
    expect((await me(session)).json().email).toBe(session.user.email);
  });

  it("GET /me/preferences answers the time zone PATCH /me sets, and refuses an unknown zone", async () => {
    const session = await signUp(t.app);
    const api = as(t.app, session);
    const preferences = () => api({ method: "GET", url: "/api/v1/me/preferences" });
    expect((await preferences()).json()).toEqual({ timezone: "UTC", emailReminders: false });
    const changed = await api({ method: "PATCH", url: "/api/v1/me", payload: { timezone: "Pacific/Auckland" } });
    expect(changed.statusCode).toBe(200);
    // The User keeps the contract's shape; the zone is a preference.
    expect(Object.keys(changed.json()).sort()).toEqual(["createdAt", "email", "emailVerified", "id", "name"]);
    expect((await preferences()).json()).toEqual({ timezone: "Pacific/Auckland", emailReminders: false });
    const refused = await api({ method: "PATCH", url: "/api/v1/me", payload: { timezone: "Mars/Olympus_Mons" } });
    expect(refused.statusCode).toBe(422);
    expect((await preferences()).json()).toEqual({ timezone: "Pacific/Auckland", emailReminders: false });
    expect((await t.app.inject({ method: "GET", url: "/api/v1/me/preferences" })).statusCode).toBe(401);
  });

  it("requires a token", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/v1/me" });
    expect(response.statusCode).toBe(401);
    expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
  });
});

describe("changing the password", () => {
  const change = (session: Session, payload: object) =>
    as(t.app, session)({ method: "PUT", url: "/api/v1/me/password", payload });

  it("refuses a wrong current password with 401 invalid_credentials and changes nothing", async () => {
    const email = uniqueEmail();
    const session = await signUp(t.app, email);
    const response = await change(session, { currentPassword: "wrong wrong wrong", newPassword: NEW_PASSWORD });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("invalid_credentials");
    expect((await signIn(email)).statusCode).toBe(200);
    expect((await me(session)).statusCode).toBe(200);
  });

  it("refuses a common, short or too long new password with 422", async () => {
    const session = await signUp(t.app);
    for (const newPassword of ["password123", "short", "x".repeat(129)]) {
      const response = await change(session, { currentPassword: PASSWORD, newPassword });
      expect(response.statusCode).toBe(422);
      expect(response.json().errors.newPassword.length).toBeGreaterThan(0);
    }
    expect((await change(session, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD, x: 1 })).statusCode).toBe(
      422,
    );
  });

  it("changes it: 204, every other session ends at once, this one goes on", async () => {
    const email = uniqueEmail();
    const current = await signUp(t.app, email);
    const other = (await signIn(email)).json() as Session;
    expect((await me(other)).statusCode).toBe(200);

    const response = await change(current, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe("");

    // The other session's access and refresh tokens die immediately.
    const otherMe = await me(other);
    expect(otherMe.statusCode).toBe(401);
    expect(otherMe.headers["www-authenticate"]).toContain('error="invalid_token"');
    expect((await refresh(other)).statusCode).toBe(401);

    // This session goes on, refresh included.
    expect((await me(current)).statusCode).toBe(200);
    expect((await refresh(current)).statusCode).toBe(200);

    expect((await signIn(email, NEW_PASSWORD)).statusCode).toBe(200);
    const old = await signIn(email, PASSWORD);
    expect(old.statusCode).toBe(401);
    expect(old.json().code).toBe("invalid_credentials");
  });
});

describe("deleting the account", () => {
  const remove = (session: Session, payload: object) =>
    as(t.app, session)({ method: "DELETE", url: "/api/v1/me", payload });

  it("refuses a wrong or missing password and keeps the account", async () => {
    const session = await signUp(t.app);
    const wrong = await remove(session, { password: "wrong wrong wrong" });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe("invalid_credentials");
    expect((await remove(session, {})).statusCode).toBe(422);
    expect((await me(session)).statusCode).toBe(200);
  });

  it("deletes the account and all its data; its tokens die at once; the email can register again", async () => {
    const email = uniqueEmail();
    const session = await signUp(t.app, email);
    const second = (await signIn(email)).json() as Session;
    const bystander = await signUp(t.app);
    const api = as(t.app, session);
    for (const title of ["one", "two"]) {
      const created = await api({
        method: "POST",
        url: "/api/v1/todos",
        payload: { title },
        headers: { "idempotency-key": title },
      });
      expect(created.statusCode).toBe(201);
    }
    const kept = await as(t.app, bystander)({ method: "POST", url: "/api/v1/todos", payload: { title: "keep me" } });
    expect(kept.statusCode).toBe(201);

    const response = await remove(session, { password: PASSWORD });
    expect(response.statusCode).toBe(204);

    for (const each of [session, second]) {
      const refused = await as(t.app, each)({ method: "GET", url: "/api/v1/todos" });
      expect(refused.statusCode).toBe(401);
      expect(refused.headers["www-authenticate"]).toContain('error="invalid_token"');
      expect((await refresh(each)).statusCode).toBe(401);
    }
    expect(
      (await as(t.app, session)({ method: "POST", url: "/api/v1/todos", payload: { title: "x" } })).statusCode,
    ).toBe(401);

    const { db } = t.database.handle;
    const userId = session.user.id;
    expect(await db.select().from(users).where(eq(users.id, userId))).toHaveLength(0);
    expect(await db.select().from(todos).where(eq(todos.userId, userId))).toHaveLength(0);
    expect(await db.select().from(sessions).where(eq(sessions.userId, userId))).toHaveLength(0);
    expect(await db.select().from(refreshTokens).where(eq(refreshTokens.userId, userId))).toHaveLength(0);
    expect(await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.userId, userId))).toHaveLength(0);
    expect(await db.select().from(todos).where(eq(todos.userId, bystander.user.id))).toHaveLength(1);

    expect((await signIn(email)).statusCode).toBe(401);
    const again = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/signup",
      payload: { email, password: PASSWORD },
    });
    expect(again.statusCode).toBe(201);
    expect(again.json().user.id).not.toBe(userId);
    const fresh = again.json() as Session;
    const list = await as(t.app, fresh)({ method: "GET", url: "/api/v1/todos" });
    expect(list.json().items).toEqual([]);
  });
});
