import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, buildTestApp, PASSWORD, signUp, type TestApp, uniqueEmail } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ AUTH_REFRESH_REUSE_GRACE: "2" });
});
afterAll(() => t?.close());

const refresh = (refreshToken: string) =>
  t.app.inject({ method: "POST", url: "/api/v1/auth/refresh", payload: { refreshToken } });

describe("refresh tokens", () => {
  it("rotates: a refresh gives a new access token and a new refresh token", async () => {
    const session = await signUp(t.app);
    const response = await refresh(session.refreshToken);
    expect(response.statusCode).toBe(200);
    const next = response.json();
    expect(next.refreshToken).not.toBe(session.refreshToken);
    expect(next.accessToken).not.toBe(session.accessToken);
    expect(next.tokenType).toBe("Bearer");
    expect((await as(t.app, next)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
  });

  it("gives concurrent refreshes of one token the same successor within the grace", async () => {
    const session = await signUp(t.app);
    const responses = await Promise.all(Array.from({ length: 10 }, () => refresh(session.refreshToken)));
    expect(responses.map((response) => response.statusCode)).toEqual(Array(10).fill(200));
    const successors = new Set(responses.map((response) => response.json().refreshToken));
    expect(successors.size).toBe(1);
    const [successor] = successors;
    expect((await refresh(successor as string)).statusCode).toBe(200);
  });

  it("refuses a refresh token presented after the grace and ends the whole session", async () => {
    const session = await signUp(t.app);
    const rotated = (await refresh(session.refreshToken)).json();
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    const reuse = await refresh(session.refreshToken);
    expect(reuse.statusCode).toBe(401);
    expect(reuse.json().code).toBe("invalid_refresh_token");
    // The thief's and the owner's tokens of that session all die.
    expect((await refresh(rotated.refreshToken)).statusCode).toBe(401);
    expect((await as(t.app, rotated)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(401);
  });

  it("refuses an unknown or malformed refresh token", async () => {
    for (const token of ["nope", `tvr_${"A".repeat(64)}`, "x".repeat(512)]) {
      const response = await refresh(token);
      expect(response.statusCode).toBe(401);
    }
  });
});

describe("revocation", () => {
  it("refuses the access token of a signed-out session at once", async () => {
    const session = await signUp(t.app);
    const api = as(t.app, session);
    expect((await api({ method: "GET", url: "/api/v1/todos" })).statusCode).toBe(200);
    expect((await api({ method: "POST", url: "/api/v1/auth/signout" })).statusCode).toBe(204);
    const after = await api({ method: "GET", url: "/api/v1/todos" });
    expect(after.statusCode).toBe(401);
    expect(after.headers["www-authenticate"]).toContain('error="invalid_token"');
    expect((await refresh(session.refreshToken)).statusCode).toBe(401);
  });

  it("sign-out-all ends every session, the caller's too", async () => {
    const email = uniqueEmail();
    const first = await signUp(t.app, email);
    const second = (
      await t.app.inject({ method: "POST", url: "/api/v1/auth/signin", payload: { email, password: PASSWORD } })
    ).json();
    expect((await as(t.app, first)({ method: "POST", url: "/api/v1/auth/signout-all" })).statusCode).toBe(204);
    for (const session of [first, second]) {
      expect((await as(t.app, session)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(401);
      expect((await refresh(session.refreshToken)).statusCode).toBe(401);
    }
  });

  it("lists sessions with the current one marked, and revokes another by id", async () => {
    const email = uniqueEmail();
    const first = await signUp(t.app, email);
    const second = (
      await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signin",
        payload: { email, password: PASSWORD },
        headers: { "user-agent": "second-device" },
      })
    ).json();
    const list = await as(t.app, first)({ method: "GET", url: "/api/v1/auth/sessions" });
    expect(list.statusCode).toBe(200);
    const sessions = list.json() as { id: string; current: boolean; userAgent: string | null }[];
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((session) => session.current)).toHaveLength(1);
    const other = sessions.find((session) => !session.current)!;
    expect(other.userAgent).toBe("second-device");
    const revoke = await as(t.app, first)({ method: "DELETE", url: `/api/v1/auth/sessions/${other.id}` });
    expect(revoke.statusCode).toBe(204);
    expect((await as(t.app, second)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(401);
    expect((await as(t.app, first)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
  });
});
