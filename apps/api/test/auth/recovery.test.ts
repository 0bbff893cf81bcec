import { createHash } from "node:crypto";
import { type Session, User } from "@taskvault/contract/auth";
import { eq, or, sql } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { emailTokens, mailOutbox } from "../../src/db/schema.ts";
import { listen, openStream } from "../changes/sse.ts";
import { as, buildTestApp, PASSWORD, signUp, type TestApp, uniqueEmail } from "../helpers/app.ts";
import { createSoftwareAuthenticator } from "../helpers/authenticator.ts";
import { enableTotp, freezeClockMidStep } from "../helpers/mfa.ts";
import {
  mailEnv,
  type ReceivedMail,
  startMailbox,
  TEST_PUBLIC_URL,
  type TestMailbox,
  tokenOf,
} from "../helpers/smtp.ts";

// Verification, forgotten passwords, email change and security notices, end to end: the real app
// on a real database sends through a real SMTP server in this process.

const PUBLIC_URL = TEST_PUBLIC_URL;
const NEW_PASSWORD = "another quite unusual passphrase";

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

const post = (url: string, payload: Record<string, unknown>) => t.app.inject({ method: "POST", url, payload });
const mailTo = (address: string, subject: RegExp) =>
  mailbox.waitFor((mail) => mail.to === address && subject.test(mail.subject));
const mailsTo = (address: string, subject: RegExp) =>
  mailbox.received.filter((mail) => mail.to === address && subject.test(mail.subject));
const signIn = (email: string, password: string) => post("/api/v1/auth/signin", { email, password });
const forgot = (email: string) => post("/api/v1/auth/password/forgot", { email });
const reset = (token: string, newPassword = NEW_PASSWORD) =>
  post("/api/v1/auth/password/reset", { token, newPassword });
const verify = (token: string) => post("/api/v1/auth/email/verify", { token });

async function resetLink(email: string): Promise<string> {
  const before = mailsTo(email, /Reset your password/).length;
  expect((await forgot(email)).statusCode).toBe(202);
  await mailbox.waitFor(() => mailsTo(email, /Reset your password/).length > before);
  return tokenOf(mailsTo(email, /Reset your password/).at(-1)!);
}

/** Waits until the outbox has nothing left to do (every message sent, skipped or failed). */
async function outboxSettled() {
  for (let i = 0; i < 400; i++) {
    const [row] = await t.app.db
      .select({ pending: sql<number>`count(*)::int` })
      .from(mailOutbox)
      .where(eq(mailOutbox.status, "pending"));
    if (row?.pending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("The outbox did not settle");
}

function expectInvalidToken(response: { statusCode: number; json(): unknown }) {
  expect(response.statusCode).toBe(400);
  expect(response.json()).toMatchObject({ status: 400, code: "invalid_token" });
}

function expectWellFormed(mail: ReceivedMail, path: string) {
  expect(mail.text).toContain("Taskvault");
  expect(mail.html).toContain("<a href=");
  const link = mail.links.find((candidate) => candidate.includes("token="))!;
  expect(link.startsWith(`${PUBLIC_URL}${path}?token=`)).toBe(true);
  // 256 random bits, base64url.
  expect(Buffer.from(tokenOf(mail), "base64url").length).toBeGreaterThanOrEqual(32);
}

describe("email verification", () => {
  it("sends a sign-up a single-use verification link; following it verifies the email", async () => {
    const email = uniqueEmail("verify");
    const session = await signUp(t.app, email);
    expect(session.user.emailVerified).toBe(false);
    const mail = await mailTo(email, /Confirm your email address/);
    expectWellFormed(mail, "/verify-email");

    const verified = await verify(tokenOf(mail));
    expect(verified.statusCode).toBe(200);
    expect(User.parse(verified.json())).toMatchObject({ id: session.user.id, email, emailVerified: true });
    expect((await as(t.app, session)({ method: "GET", url: "/api/v1/me" })).json().emailVerified).toBe(true);
    expectInvalidToken(await verify(tokenOf(mail)));
  });

  it("refuses an unknown token and a verification link older than 24 hours with 400 invalid_token", async () => {
    expectInvalidToken(await verify("not-a-token-we-sent"));
    const email = uniqueEmail("late");
    const session = await signUp(t.app, email);
    const mail = await mailTo(email, /Confirm your email address/);
    await t.app.db
      .update(emailTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(emailTokens.userId, session.user.id));
    expectInvalidToken(await verify(tokenOf(mail)));
  });

  it("sends a fresh link on request (202), then throttles with 429 and Retry-After", async () => {
    const email = uniqueEmail("resend");
    const session = await signUp(t.app, email);
    await mailTo(email, /Confirm your email address/);
    const api = as(t.app, session);
    const first = await api({ method: "POST", url: "/api/v1/me/email/verification" });
    expect(first.statusCode).toBe(202);
    await mailbox.waitFor(() => mailsTo(email, /Confirm your email address/).length === 2);
    const again = await api({ method: "POST", url: "/api/v1/me/email/verification" });
    expect(again.statusCode).toBe(429);
    expect(again.json().code).toBe("rate_limited");
    expect(Number(again.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(Number(again.headers["retry-after"])).toBeLessThanOrEqual(60);
    expect((await verify(tokenOf(mailsTo(email, /Confirm your email address/).at(-1)!))).statusCode).toBe(200);
  });
});

describe("forgotten password", () => {
  it("answers 202 with the same body for a known and an unknown address, and mails only the known one", async () => {
    const known = uniqueEmail("known");
    await signUp(t.app, known);
    const unknown = uniqueEmail("unknown");
    const forKnown = await forgot(known);
    const forUnknown = await forgot(unknown);
    expect(forKnown.statusCode).toBe(202);
    expect(forUnknown.statusCode).toBe(202);
    expect(forKnown.body).toBe(forUnknown.body);
    expect(forKnown.headers["content-type"]).toBe(forUnknown.headers["content-type"]);
    expectWellFormed(await mailTo(known, /Reset your password/), "/reset-password");
    await outboxSettled();
    expect(mailbox.received.some((mail) => mail.to === unknown)).toBe(false);
  });

  it("does the same work for a known and an unknown address while answering: one outbox row naming the address", async () => {
    // Timing cannot tell them apart when the request path is the same: no account is looked up
    // before answering; the sender decides later, off the request path, whether anyone gets mail.
    const known = uniqueEmail("same-known");
    await signUp(t.app, known);
    const unknown = uniqueEmail("same-unknown");
    await forgot(known);
    await forgot(unknown);
    const rowFor = async (address: string) =>
      t.app.db
        .select({ userId: mailOutbox.userId, kind: mailOutbox.kind, data: mailOutbox.data })
        .from(mailOutbox)
        .where(eq(mailOutbox.recipient, address));
    const expected = [{ userId: null, kind: "reset_password", data: {} }];
    expect(await rowFor(known)).toEqual(expected);
    expect(await rowFor(unknown)).toEqual(expected);
  });

  it("answers a known and an unknown address in about the same time (medians of interleaved requests)", async () => {
    // The structural test above catches any extra work on the request path; this one measures, so
    // that slow work (a password hash, SMTP) done for one kind of address only cannot hide.
    const known = uniqueEmail("timing-known");
    await signUp(t.app, known);
    const timed = async (email: string) => {
      const started = performance.now();
      expect((await forgot(email)).statusCode).toBe(202);
      return performance.now() - started;
    };
    for (let i = 0; i < 5; i++) await Promise.all([timed(known), timed(uniqueEmail("timing-warm"))]);
    const times = { known: [] as number[], unknown: [] as number[] };
    for (let i = 0; i < 60; i++) {
      // Alternate which goes first, so drift in the machine's load falls on both alike.
      const pair = i % 2 === 0 ? (["known", "unknown"] as const) : (["unknown", "known"] as const);
      for (const label of pair)
        times[label].push(await timed(label === "known" ? known : uniqueEmail("timing-unknown")));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const [knownMs, unknownMs] = [median(times.known), median(times.unknown)];
    console.log(`forgot p50: known ${knownMs.toFixed(2)} ms, unknown ${unknownMs.toFixed(2)} ms`);
    // Wide enough for a loaded machine, narrow enough for a password hash (tens of ms) on one side only.
    expect(Math.abs(knownMs - unknownMs)).toBeLessThan(Math.max(5, 0.5 * Math.max(knownMs, unknownMs)));
  });

  it("resets the password with the link: 204, every session ends at once, the email counts as verified", async () => {
    const email = uniqueEmail("reset");
    const first = await signUp(t.app, email);
    const second: Session = (await signIn(email, PASSWORD)).json();
    const base = await listen(t.app);
    const stream = await openStream(base, second.accessToken);
    expect(stream.status).toBe(200);

    const token = await resetLink(email);
    const response = await reset(token);
    expect(response.statusCode).toBe(204);

    for (const session of [first, second]) {
      expect((await as(t.app, session)({ method: "GET", url: "/api/v1/todos" })).statusCode).toBe(401);
      expect((await post("/api/v1/auth/refresh", { refreshToken: session.refreshToken })).statusCode).toBe(401);
    }
    await stream.ended;
    expect(stream.events.at(-1)?.event).toBe("session.revoked");
    expect((await signIn(email, PASSWORD)).statusCode).toBe(401);
    const signedIn = await signIn(email, NEW_PASSWORD);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json().user.emailVerified).toBe(true);
    const notice = await mailTo(email, /Your password was reset/);
    expect(notice.text).not.toContain("token=");
  });

  it("keeps a mailed link's token only as its SHA-256: neither the token table nor the outbox holds the token", async () => {
    const email = uniqueEmail("hashed");
    const session = await signUp(t.app, email);
    const verifyToken = tokenOf(await mailTo(email, /Confirm your email address/));
    const resetToken = await resetLink(email);
    const sha256 = (token: string) => createHash("sha256").update(token).digest("base64url");
    const stored = await t.app.db.select().from(emailTokens).where(eq(emailTokens.userId, session.user.id));
    expect(stored.map((row) => row.tokenHash).sort()).toEqual([sha256(verifyToken), sha256(resetToken)].sort());
    const outbox = await t.app.db
      .select()
      .from(mailOutbox)
      .where(or(eq(mailOutbox.recipient, email), eq(mailOutbox.userId, session.user.id)));
    expect(outbox.length).toBeGreaterThanOrEqual(2);
    for (const token of [verifyToken, resetToken]) {
      expect(JSON.stringify([stored, outbox])).not.toContain(token);
    }
  });

  it("gives a verification link 24 hours and a reset link 30 minutes", async () => {
    const email = uniqueEmail("lifetimes");
    const session = await signUp(t.app, email);
    await mailTo(email, /Confirm your email address/);
    await resetLink(email);
    const rows = await t.app.db.select().from(emailTokens).where(eq(emailTokens.userId, session.user.id));
    const lifetime = (purpose: string) => {
      const row = rows.find((candidate) => candidate.purpose === purpose)!;
      return row.expiresAt.getTime() - row.createdAt.getTime();
    };
    expect(lifetime("verify_email")).toBe(24 * 3600 * 1000);
    expect(lifetime("reset_password")).toBe(30 * 60 * 1000);
  });

  it("spends a reset token once; a superseded, expired or unknown one is 400 invalid_token", async () => {
    const email = uniqueEmail("once");
    const session = await signUp(t.app, email);
    const older = await resetLink(email);
    const newer = await resetLink(email);
    expectInvalidToken(await reset(older));
    expect((await reset(newer)).statusCode).toBe(204);
    expectInvalidToken(await reset(newer, "yet another unusual passphrase"));
    expectInvalidToken(await reset("never-issued"));

    const late = await resetLink(email);
    await t.app.db
      .update(emailTokens)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(emailTokens.userId, session.user.id));
    expectInvalidToken(await reset(late));
  });

  it("holds the new password to the sign-up rules (422) without spending the token", async () => {
    const email = uniqueEmail("rules");
    await signUp(t.app, email);
    const token = await resetLink(email);
    const short = await reset(token, "short");
    expect(short.statusCode).toBe(422);
    expect(short.json().errors).toHaveProperty("newPassword");
    const common = await reset(token, "password123");
    expect(common.statusCode).toBe(422);
    expect((await reset(token)).statusCode).toBe(204);
  });
});

describe("email change", () => {
  it("sends a confirmation to the new address and a notice to the old; the address changes when confirmed", async () => {
    const oldEmail = uniqueEmail("old");
    const session = await signUp(t.app, oldEmail);
    const newEmail = uniqueEmail("new");
    const api = as(t.app, session);
    const wrong = await api({
      method: "PUT",
      url: "/api/v1/me/email",
      payload: { email: newEmail, password: "nope nope nope" },
    });
    expect(wrong.statusCode).toBe(401);
    // An account with a password gives it: a missing one is 422, whatever else is sent.
    const missing = await api({ method: "PUT", url: "/api/v1/me/email", payload: { email: newEmail, code: "123456" } });
    expect(missing.statusCode).toBe(422);
    const response = await api({
      method: "PUT",
      url: "/api/v1/me/email",
      payload: { email: newEmail, password: PASSWORD },
    });
    expect(response.statusCode).toBe(202);
    const confirmation = await mailTo(newEmail, /Confirm your new email address/);
    expectWellFormed(confirmation, "/verify-email");
    const notice = await mailTo(oldEmail, /about to change/);
    expect(notice.text).toContain(newEmail);
    // Nothing changes until the link is followed.
    expect((await api({ method: "GET", url: "/api/v1/me" })).json().email).toBe(oldEmail);

    const confirmed = await verify(tokenOf(confirmation));
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toMatchObject({ email: newEmail, emailVerified: true });
    expect((await signIn(newEmail, PASSWORD)).statusCode).toBe(200);
    expect((await signIn(oldEmail, PASSWORD)).statusCode).toBe(401);
    const changed = await mailTo(oldEmail, /Your email address was changed/);
    expect(changed.text).toContain(newEmail);
  });

  it("answers 409 when the new address was taken before the link was followed", async () => {
    const session = await signUp(t.app);
    const wanted = uniqueEmail("wanted");
    const api = as(t.app, session);
    expect(
      (await api({ method: "PUT", url: "/api/v1/me/email", payload: { email: wanted, password: PASSWORD } }))
        .statusCode,
    ).toBe(202);
    const confirmation = await mailTo(wanted, /Confirm your new email address/);
    await signUp(t.app, wanted);
    const raced = await verify(tokenOf(confirmation));
    expect(raced.statusCode).toBe(409);
    expect((await api({ method: "GET", url: "/api/v1/me" })).json().email).toBe(session.user.email);
    // An address already in use is refused up front too.
    const taken = await api({ method: "PUT", url: "/api/v1/me/email", payload: { email: wanted, password: PASSWORD } });
    expect(taken.statusCode).toBe(409);
  });
});

describe("security notices", () => {
  it("tells the owner when the password is changed", async () => {
    const email = uniqueEmail("changed");
    const session = await signUp(t.app, email);
    const response = await as(
      t.app,
      session,
    )({
      method: "PUT",
      url: "/api/v1/me/password",
      payload: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(response.statusCode).toBe(204);
    const notice = await mailTo(email, /Your password was changed/);
    expect(notice.html).toContain("Taskvault");
    expect(notice.links.every((link) => link.startsWith(PUBLIC_URL))).toBe(true);
  });

  it("tells the owner when a session ends because its refresh token was used twice", async () => {
    const email = uniqueEmail("reuse");
    const session = await signUp(t.app, email);
    expect((await post("/api/v1/auth/refresh", { refreshToken: session.refreshToken })).statusCode).toBe(200);
    // Past the reuse grace (10 s by default), the spent token counts as stolen.
    await t.app.db.execute(
      sql`update refresh_tokens set spent_at = spent_at - interval '1 hour' where user_id = ${session.user.id}`,
    );
    expect((await post("/api/v1/auth/refresh", { refreshToken: session.refreshToken })).statusCode).toBe(401);
    await mailTo(email, /A session was ended for your safety/);
  });

  it("drops an account's unsent messages and link tokens with the account", async () => {
    const email = uniqueEmail("leaving");
    const session = await signUp(t.app, email);
    await mailTo(email, /Confirm your email address/);
    await mailbox.stop();
    try {
      const api = as(t.app, session);
      await api({ method: "POST", url: "/api/v1/me/email/verification" });
      expect((await api({ method: "DELETE", url: "/api/v1/me", payload: { password: PASSWORD } })).statusCode).toBe(
        204,
      );
      expect(await t.app.db.select().from(mailOutbox).where(eq(mailOutbox.userId, session.user.id))).toEqual([]);
      expect(await t.app.db.select().from(emailTokens).where(eq(emailTokens.userId, session.user.id))).toEqual([]);
    } finally {
      await mailbox.start();
    }
  });

  it("sends nothing for an action that rolls back: two sign-ups racing for one address get one link", async () => {
    const email = uniqueEmail("race");
    const payload = { email, password: PASSWORD };
    const answers = await Promise.all([post("/api/v1/auth/signup", payload), post("/api/v1/auth/signup", payload)]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 409]);
    await outboxSettled();
    expect(mailsTo(email, /./)).toHaveLength(1);
  });
});

describe("with a second factor", () => {
  afterEach(() => vi.useRealTimers());

  it("tells the owner when a second factor is added and removed", async () => {
    freezeClockMidStep();
    const email = uniqueEmail("factor");
    const session = await signUp(t.app, email);
    await enableTotp(t.app, session);
    await mailTo(email, /A second factor was added/);
    const removed = await as(
      t.app,
      session,
    )({
      method: "DELETE",
      url: "/api/v1/me/mfa/totp",
      payload: { password: PASSWORD },
    });
    expect(removed.statusCode).toBe(204);
    await mailTo(email, /A second factor was removed/);
  });

  it("tells the owner when a passkey is added and removed", async () => {
    const email = uniqueEmail("passkey-notice");
    const session = await signUp(t.app, email);
    const api = as(t.app, session);
    const authenticator = createSoftwareAuthenticator({ origin: PUBLIC_URL, rpId: new URL(PUBLIC_URL).hostname });
    const options = (await api({ method: "POST", url: "/api/v1/me/passkeys/options" })).json();
    const created = await api({
      method: "POST",
      url: "/api/v1/me/passkeys",
      payload: { name: "Laptop", response: authenticator.register(options) },
    });
    expect(created.statusCode).toBe(201);
    await mailTo(email, /A passkey was added/);
    const removed = await api({
      method: "DELETE",
      url: `/api/v1/me/passkeys/${created.json().id}`,
      payload: { password: PASSWORD },
    });
    expect(removed.statusCode).toBe(204);
    await mailTo(email, /A passkey was removed/);
  });

  it("password reset: opens no session and keeps the second factor on, so the next sign-in asks for it", async () => {
    freezeClockMidStep();
    const email = uniqueEmail("kept-factor");
    const session = await signUp(t.app, email);
    await enableTotp(t.app, session);
    const done = await reset(await resetLink(email));
    // The reset opens no session of its own: no token in the answer, and the old session is over.
    expect(done.statusCode).toBe(204);
    expect(done.body).toBe("");
    const refreshed = await post("/api/v1/auth/refresh", { refreshToken: session.refreshToken });
    expect(refreshed.statusCode).toBe(401);
    const signedIn = await signIn(email, NEW_PASSWORD);
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.json()).toMatchObject({ mfaRequired: true });
    expect(signedIn.json().accessToken).toBeUndefined();
  });
});
