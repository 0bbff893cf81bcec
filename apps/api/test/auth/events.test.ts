import type { Session } from "@taskvault/contract/auth";
import type { AuthEvent } from "@taskvault/contract/events";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../../src/db/rows.ts";
import { as, buildTestApp, PASSWORD, signUp, type TestApp, uniqueEmail } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ AUTH_REFRESH_REUSE_GRACE: "1" });
});
afterAll(() => t?.close());

const UA = "events-test-browser/1.0";

function post(url: string, payload?: object, session?: Session) {
  return t.app.inject({
    method: "POST",
    url,
    ...(payload ? { payload } : {}),
    headers: { "user-agent": UA, ...(session ? { authorization: `Bearer ${session.accessToken}` } : {}) },
    remoteAddress: "203.0.113.7",
  });
}

async function eventsOf(session: Session, query = ""): Promise<{ items: AuthEvent[]; nextCursor: string | null }> {
  const response = await as(t.app, session)({ method: "GET", url: `/api/v1/me/events${query}` });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe("the security trail", () => {
  it("records sign-up, failed and successful sign-ins, refreshes and sign-outs, newest first, with address and browser", async () => {
    const email = uniqueEmail("trail");
    const first = (await post("/api/v1/auth/signup", { email, password: PASSWORD })).json() as Session;
    expect((await post("/api/v1/auth/signin", { email, password: "not the password" })).statusCode).toBe(401);
    const second = (await post("/api/v1/auth/signin", { email, password: PASSWORD })).json() as Session;
    const refreshed = (await post("/api/v1/auth/refresh", { refreshToken: second.refreshToken })).json() as Session;
    expect((await post("/api/v1/auth/signout", undefined, refreshed)).statusCode).toBe(204);

    const { items } = await eventsOf(first);
    expect(items.map((event) => event.type)).toEqual([
      "signed_out",
      "refreshed",
      "signed_in",
      "sign_in_failed",
      "signed_up",
    ]);
    for (const event of items) {
      expect(event.ip).toBe("203.0.113.7");
      expect(event.userAgent).toBe(UA);
      expect(Number.isNaN(Date.parse(event.createdAt))).toBe(false);
    }
    expect(items.find((event) => event.type === "sign_in_failed")?.sessionId).toBeNull();
    const sessionOf = (type: string) => items.find((event) => event.type === type)?.sessionId;
    expect(sessionOf("signed_in")).toBe(sessionOf("refreshed"));
    expect(sessionOf("signed_in")).not.toBe(sessionOf("signed_up"));
  });

  it("records a detected refresh-token reuse", async () => {
    const owner = await signUp(t.app);
    const other = (
      await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signin",
        payload: { email: owner.user.email, password: PASSWORD },
      })
    ).json() as Session;
    expect((await post("/api/v1/auth/refresh", { refreshToken: other.refreshToken })).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect((await post("/api/v1/auth/refresh", { refreshToken: other.refreshToken })).statusCode).toBe(401);
    const { items } = await eventsOf(owner);
    expect(items[0]?.type).toBe("refresh_token_reused");
    expect(items[0]?.sessionId).toBe(items.find((event) => event.type === "signed_in")?.sessionId);
  });

  it("records password changes, revoked sessions and sign-out-all", async () => {
    const email = uniqueEmail();
    const first = await signUp(t.app, email);
    await t.app.inject({ method: "POST", url: "/api/v1/auth/signin", payload: { email, password: PASSWORD } });
    const sessions = (await as(t.app, first)({ method: "GET", url: "/api/v1/auth/sessions" })).json();
    const other = sessions.find((session: { current: boolean }) => !session.current);
    expect((await as(t.app, first)({ method: "DELETE", url: `/api/v1/auth/sessions/${other.id}` })).statusCode).toBe(
      204,
    );
    const change = await as(
      t.app,
      first,
    )({
      method: "PUT",
      url: "/api/v1/me/password",
      payload: { currentPassword: PASSWORD, newPassword: "another long passphrase" },
    });
    expect(change.statusCode).toBe(204);
    const before = await eventsOf(first);
    expect(before.items.slice(0, 2).map((event) => [event.type, event.sessionId])).toEqual([
      ["password_changed", before.items.find((event) => event.type === "signed_up")?.sessionId],
      ["session_revoked", other.id],
    ]);
    const third = (
      await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signin",
        payload: { email, password: "another long passphrase" },
      })
    ).json() as Session;
    expect((await as(t.app, first)({ method: "POST", url: "/api/v1/auth/signout-all" })).statusCode).toBe(204);
    const fourth = (
      await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signin",
        payload: { email, password: "another long passphrase" },
      })
    ).json() as Session;
    expect(third.accessToken).toBeTruthy();
    const { items } = await eventsOf(fourth);
    expect(items.slice(0, 2).map((event) => event.type)).toEqual(["signed_in", "signed_out_everywhere"]);
  });

  it("pages newest first with an opaque cursor, never repeating or skipping", async () => {
    const email = uniqueEmail();
    const session = await signUp(t.app, email);
    for (let i = 0; i < 4; i++) {
      await t.app.inject({ method: "POST", url: "/api/v1/auth/signin", payload: { email, password: "wrong one!" } });
    }
    const all = await eventsOf(session, "?limit=100");
    expect(all.items).toHaveLength(5);
    expect(all.nextCursor).toBeNull();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: AuthEvent[]; nextCursor: string | null } = await eventsOf(
        session,
        `?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((event) => event.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.items.map((event) => event.id));
    const times = all.items.map((event) => Date.parse(event.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("refuses a malformed cursor or limit with 400, and an anonymous caller with 401", async () => {
    const session = await signUp(t.app);
    for (const query of ["?cursor=nope", "?limit=0", "?limit=101", "?other=1"]) {
      const response = await as(t.app, session)({ method: "GET", url: `/api/v1/me/events${query}` });
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe("invalid_query");
    }
    expect((await t.app.inject({ method: "GET", url: "/api/v1/me/events" })).statusCode).toBe(401);
  });

  it("shows each user only their own events", async () => {
    const alice = await signUp(t.app);
    const bob = await signUp(t.app);
    await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/signin",
      payload: { email: alice.user.email, password: "bob guessing" },
    });
    const bobs = await eventsOf(bob, "?limit=100");
    expect(bobs.items.map((event) => event.type)).toEqual(["signed_up"]);
    const alices = await eventsOf(alice, "?limit=100");
    expect(alices.items.map((event) => event.type)).toEqual(["sign_in_failed", "signed_up"]);
    // Bob cannot page into Alice's trail with her ids either.
    const probe = await eventsOf(bob, `?cursor=${alices.items.at(-1)?.id}`);
    expect(probe.items.every((event) => bobs.items.some((own) => own.id === event.id))).toBe(true);
  });

  it("removes the user's events with the account", async () => {
    const session = await signUp(t.app);
    await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/signin",
      payload: { email: session.user.email, password: "wrong guess" },
    });
    const count = async () =>
      Number(
        rowsOf<{ count: number | string }>(
          await t.database.handle.db.execute(
            sql`select count(*) as count from auth_events where user_id = ${session.user.id}`,
          ),
        )[0]?.count,
      );
    expect(await count()).toBe(2);
    const deleted = await as(t.app, session)({ method: "DELETE", url: "/api/v1/me", payload: { password: PASSWORD } });
    expect(deleted.statusCode).toBe(204);
    expect(await count()).toBe(0);
  });
});
