import type { CreatedApiToken } from "@taskvault/contract/api-tokens";
import type { Session } from "@taskvault/contract/auth";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateApiToken, hashApiToken, isWellFormedApiToken } from "../../src/auth/api-tokens.ts";
import { apiTokens } from "../../src/db/schema.ts";
import { listen, openStream } from "../changes/sse.ts";
import { as, buildTestApp, PASSWORD, signUp, type TestApp, uniqueEmail } from "../helpers/app.ts";
import { mailEnv, startMailbox, type TestMailbox } from "../helpers/smtp.ts";

// API tokens (contract: "Other ways in", decision 024) through the real app on a real database,
// notices through a real SMTP server in this process.

let mailbox: TestMailbox;
let t: TestApp;
beforeAll(async () => {
  mailbox = await startMailbox();
  t = await buildTestApp(mailEnv(mailbox));
});
afterAll(async () => {
  await t?.close();
  await mailbox?.close();
});

async function createToken(session: Session, body: Record<string, unknown>): Promise<CreatedApiToken> {
  const response = await as(
    t.app,
    session,
  )({
    method: "POST",
    url: "/api/v1/me/tokens",
    payload: { password: PASSWORD, ...body },
  });
  if (response.statusCode !== 201) throw new Error(`token creation failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

const withToken = (token: string) => as(t.app, { accessToken: token });

describe("API token format", () => {
  it("is tvk_ followed by 256 random bits in base62 and a six-character checksum", () => {
    const tokens = new Set(Array.from({ length: 200 }, generateApiToken));
    expect(tokens.size).toBe(200);
    for (const token of tokens) {
      expect(token).toMatch(/^tvk_[0-9A-Za-z]{49}$/);
      expect(isWellFormedApiToken(token)).toBe(true);
    }
  });

  it("tells a mistyped token from a real one without a lookup: any changed, dropped or added character fails the checksum", () => {
    const token = generateApiToken();
    for (let i = 4; i < token.length; i++) {
      const swapped = token[i] === "a" ? "b" : "a";
      expect(isWellFormedApiToken(token.slice(0, i) + swapped + token.slice(i + 1))).toBe(false);
      expect(isWellFormedApiToken(token.slice(0, i) + token.slice(i + 1))).toBe(false);
    }
    expect(isWellFormedApiToken(`${token}x`)).toBe(false);
    expect(isWellFormedApiToken(token.replace("tvk_", "tvx_"))).toBe(false);
  });
});

describe("creating, listing and revoking API tokens", () => {
  it("creates a token shown once, stored only as its SHA-256, expiring in 90 days by default", async () => {
    const session = await signUp(t.app);
    const before = Date.now();
    const created = await createToken(session, { name: "backup script", scopes: ["todos:read"] });
    expect(created).toMatchObject({ name: "backup script", scopes: ["todos:read"], lastUsedAt: null });
    expect(created.token).toMatch(/^tvk_/);
    const days = (Date.parse(created.expiresAt) - before) / 86_400_000;
    expect(days).toBeGreaterThan(89.99);
    expect(days).toBeLessThan(90.01);

    const [row] = await t.app.db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row!.tokenHash).toBe(hashApiToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token.slice(4, 40));

    const list = await as(t.app, session)({ method: "GET", url: "/api/v1/me/tokens" });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([
      {
        id: created.id,
        name: "backup script",
        scopes: ["todos:read"],
        createdAt: created.createdAt,
        expiresAt: created.expiresAt,
        lastUsedAt: null,
        lastUsedIp: null,
      },
    ]);
    expect(list.body).not.toContain(created.token);
  });

  it("keeps the expiry asked for, and refuses one in the past, no scope, an unknown scope or no name with 422", async () => {
    const session = await signUp(t.app);
    const expiresAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    expect((await createToken(session, { name: "week", scopes: ["lists:read"], expiresAt })).expiresAt).toBe(expiresAt);
    const refused = [
      { name: "past", scopes: ["todos:read"], expiresAt: new Date(Date.now() - 1000).toISOString() },
      { name: "none", scopes: [] },
      { name: "unknown", scopes: ["admin"] },
      { name: "twice", scopes: ["todos:read", "todos:read"] },
      { name: "", scopes: ["todos:read"] },
    ];
    for (const body of refused) {
      const response = await as(
        t.app,
        session,
      )({
        method: "POST",
        url: "/api/v1/me/tokens",
        payload: { password: PASSWORD, ...body },
      });
      expect(response.statusCode, JSON.stringify(body)).toBe(422);
    }
  });

  it("asks for the password (step-up): none is 422, a wrong one 401, and nothing is created", async () => {
    const session = await signUp(t.app);
    const send = (payload: Record<string, unknown>) =>
      as(t.app, session)({ method: "POST", url: "/api/v1/me/tokens", payload });
    const missing = await send({ name: "x", scopes: ["todos:read"] });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toHaveProperty("password");
    const wrong = await send({ name: "x", scopes: ["todos:read"], password: "not the password at all" });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe("invalid_credentials");
    expect((await as(t.app, session)({ method: "GET", url: "/api/v1/me/tokens" })).json()).toEqual([]);
  });

  it("records the creation and the revocation as security events and emails a notice of the creation", async () => {
    const email = uniqueEmail("notice");
    const session = await signUp(t.app, email);
    const created = await createToken(session, { name: "cron on the NAS", scopes: ["todos:read", "todos:write"] });
    const mail = await mailbox.waitFor(
      (message) => message.to === email && /API token was created/.test(message.subject),
    );
    expect(mail.text).toContain("cron on the NAS");
    expect(mail.text).toContain("todos:read, todos:write");
    expect(mail.text).not.toContain(created.token);
    await as(t.app, session)({ method: "DELETE", url: `/api/v1/me/tokens/${created.id}` });
    const events = (await as(t.app, session)({ method: "GET", url: "/api/v1/me/events" })).json();
    expect(events.items.map((event: { type: string }) => event.type).slice(0, 2)).toEqual([
      "api_token_revoked",
      "api_token_created",
    ]);
  });

  it("revokes: 204, refused at once with 401, gone from the list; another user's token id is 404", async () => {
    const session = await signUp(t.app);
    const created = await createToken(session, { name: "r", scopes: ["todos:read"] });
    expect((await withToken(created.token)({ method: "GET", url: "/api/v1/todos" })).statusCode).toBe(200);

    const other = await signUp(t.app);
    const foreign = await as(t.app, other)({ method: "DELETE", url: `/api/v1/me/tokens/${created.id}` });
    expect(foreign.statusCode).toBe(404);

    const revoked = await as(t.app, session)({ method: "DELETE", url: `/api/v1/me/tokens/${created.id}` });
    expect(revoked.statusCode).toBe(204);
    const refused = await withToken(created.token)({ method: "GET", url: "/api/v1/todos" });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers["www-authenticate"]).toContain('error="invalid_token"');
    expect((await as(t.app, session)({ method: "GET", url: "/api/v1/me/tokens" })).json()).toEqual([]);
    expect((await as(t.app, session)({ method: "DELETE", url: `/api/v1/me/tokens/${created.id}` })).statusCode).toBe(
      404,
    );
  });
});

describe("using an API token", () => {
  let session: Session;
  let readOnly: CreatedApiToken;
  beforeAll(async () => {
    session = await signUp(t.app);
    readOnly = await createToken(session, { name: "read-only", scopes: ["todos:read"] });
  });

  it("reads todos with todos:read and is refused a write with 403 insufficient_scope naming the scope (RFC 6750 §3.1)", async () => {
    await as(t.app, session)({ method: "POST", url: "/api/v1/todos", payload: { title: "seen by the script" } });
    const read = await withToken(readOnly.token)({ method: "GET", url: "/api/v1/todos" });
    expect(read.statusCode).toBe(200);
    expect(read.json().items.map((todo: { title: string }) => todo.title)).toContain("seen by the script");

    const write = await withToken(readOnly.token)({ method: "POST", url: "/api/v1/todos", payload: { title: "no" } });
    expect(write.statusCode).toBe(403);
    expect(write.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(write.json()).toMatchObject({ status: 403, code: "insufficient_scope" });
    expect(write.headers["www-authenticate"]).toBe(
      'Bearer realm="taskvault", error="insufficient_scope", scope="todos:write"',
    );
    const lists = await withToken(readOnly.token)({ method: "GET", url: "/api/v1/lists" });
    expect(lists.statusCode).toBe(403);
    expect(lists.headers["www-authenticate"]).toContain('scope="lists:read"');
  });

  it("writes with a write scope, which includes reading", async () => {
    const writer = await createToken(session, { name: "writer", scopes: ["todos:write", "lists:write"] });
    const list = await withToken(writer.token)({ method: "POST", url: "/api/v1/lists", payload: { name: "Scripted" } });
    expect(list.statusCode).toBe(201);
    const todo = await withToken(writer.token)({
      method: "POST",
      url: "/api/v1/todos",
      payload: { title: "from a script", listId: list.json().id },
    });
    expect(todo.statusCode).toBe(201);
    expect((await withToken(writer.token)({ method: "GET", url: "/api/v1/todos" })).statusCode).toBe(200);
    expect((await withToken(writer.token)({ method: "GET", url: "/api/v1/export" })).statusCode).toBe(200);
  });

  it("is refused with 403 forbidden on account and auth routes", async () => {
    const all = await createToken(session, {
      name: "everything",
      scopes: ["todos:read", "todos:write", "lists:read", "lists:write"],
    });
    const refused = [
      { method: "GET", url: "/api/v1/me" },
      { method: "GET", url: "/api/v1/me/tokens" },
      { method: "POST", url: "/api/v1/me/tokens", payload: { name: "x", scopes: ["todos:read"], password: PASSWORD } },
      { method: "DELETE", url: `/api/v1/me/tokens/${all.id}` },
      {
        method: "PUT",
        url: "/api/v1/me/password",
        payload: { currentPassword: PASSWORD, newPassword: "x".repeat(20) },
      },
      { method: "GET", url: "/api/v1/auth/sessions" },
      { method: "POST", url: "/api/v1/auth/signout-all" },
      { method: "GET", url: "/api/v1/me/mfa" },
      { method: "DELETE", url: "/api/v1/me", payload: { password: PASSWORD } },
    ] as const;
    for (const request of refused) {
      const response = await withToken(all.token)(request);
      expect(response.statusCode, `${request.method} ${request.url}`).toBe(403);
      expect(response.json().code).toBe("forbidden");
    }
    // Nothing was done: the token still works and the account still has its tokens.
    expect((await withToken(all.token)({ method: "GET", url: "/api/v1/todos" })).statusCode).toBe(200);
    expect((await as(t.app, session)({ method: "GET", url: "/api/v1/me/tokens" })).json().length).toBeGreaterThan(1);
  });

  it("refuses unknown, mistyped and expired tokens with 401 invalid_token", async () => {
    const unknown = await withToken(generateApiToken())({ method: "GET", url: "/api/v1/todos" });
    expect(unknown.statusCode).toBe(401);
    expect(unknown.json().code).toBe("invalid_token");
    const typo = `${readOnly.token.slice(0, 10)}${readOnly.token[10] === "x" ? "y" : "x"}${readOnly.token.slice(11)}`;
    expect((await withToken(typo)({ method: "GET", url: "/api/v1/todos" })).statusCode).toBe(401);

    const soon = await createToken(session, {
      name: "short",
      scopes: ["todos:read"],
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    expect((await withToken(soon.token)({ method: "GET", url: "/api/v1/todos" })).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const expired = await withToken(soon.token)({ method: "GET", url: "/api/v1/todos" });
    expect(expired.statusCode).toBe(401);
    expect(expired.json().detail).toMatch(/expired/);
  });

  it("records the last use and address, written at most once a minute", async () => {
    const token = await createToken(session, { name: "used", scopes: ["todos:read"] });
    const first = Date.now();
    await withToken(token.token)({ method: "GET", url: "/api/v1/todos", remoteAddress: "198.51.100.7" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await withToken(token.token)({ method: "GET", url: "/api/v1/todos", remoteAddress: "198.51.100.8" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const listed = (await as(t.app, session)({ method: "GET", url: "/api/v1/me/tokens" }))
      .json()
      .find((entry: { id: string }) => entry.id === token.id);
    expect(listed.lastUsedIp).toBe("198.51.100.7");
    expect(Date.parse(listed.lastUsedAt)).toBeGreaterThanOrEqual(first - 5);
    expect(Date.parse(listed.lastUsedAt)).toBeLessThan(first + 250);
  });

  it("follows the change stream with todos:read and lists:read, and the stream ends when the token is revoked", async () => {
    const reader = await createToken(session, { name: "sync", scopes: ["todos:read", "lists:read"] });
    const base = await listen(t.app);
    const refused = await openStream(base, readOnly.token);
    expect(refused.status).toBe(403);
    const stream = await openStream(base, reader.token);
    expect(stream.status).toBe(200);
    await as(t.app, session)({ method: "POST", url: "/api/v1/todos", payload: { title: "streamed" } });
    const events = await stream.waitForEvents(1);
    expect(events.some((event) => event.data.includes("streamed"))).toBe(true);
    await as(t.app, session)({ method: "DELETE", url: `/api/v1/me/tokens/${reader.id}` });
    await stream.ended;
    expect(stream.isEnded()).toBe(true);
  });
});

describe("deleting the account", () => {
  it("deletes its tokens, and they are refused at once", async () => {
    const session = await signUp(t.app);
    const created = await createToken(session, { name: "doomed", scopes: ["todos:read"] });
    expect((await withToken(created.token)({ method: "GET", url: "/api/v1/todos" })).statusCode).toBe(200);
    const deleted = await as(t.app, session)({ method: "DELETE", url: "/api/v1/me", payload: { password: PASSWORD } });
    expect(deleted.statusCode).toBe(204);
    expect((await withToken(created.token)({ method: "GET", url: "/api/v1/todos" })).statusCode).toBe(401);
    expect(await t.app.db.select().from(apiTokens).where(eq(apiTokens.id, created.id))).toEqual([]);
  });
});
