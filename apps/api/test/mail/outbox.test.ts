import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notifySecurityEvent } from "../../src/auth/security-notices.ts";
import { mailOutbox } from "../../src/db/schema.ts";
import { retryDelayMs } from "../../src/mail/sender.ts";
import { buildTestApp, onPostgres, signUp, type TestApp, uniqueEmail } from "../helpers/app.ts";
import { mailEnv, startMailbox, type TestMailbox } from "../helpers/smtp.ts";

// The outbox and its sender against a real SMTP server in this process: delivery, retries after a
// refusal and after the server was down, giving up, and two instances sharing one database.

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

async function rowsOf(app: TestApp, userId: string) {
  return app.app.db.select().from(mailOutbox).where(eq(mailOutbox.userId, userId));
}

async function until(condition: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 600; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

describe("mail outbox", () => {
  it("delivers a message with a plain-text part, an HTML part and the configured sender", async () => {
    const email = uniqueEmail("deliver");
    const session = await signUp(t.app, email);
    const mail = await mailbox.waitFor((candidate) => candidate.to === email);
    expect(mail.parsed.from?.text).toContain("taskvault@localhost");
    expect(mail.text.length).toBeGreaterThan(0);
    expect(mail.html).toContain("<p>");
    await until(async () => (await rowsOf(t, session.user.id))[0]?.status === "sent", "the row to be marked sent");
    const [row] = await rowsOf(t, session.user.id);
    expect(row).toMatchObject({ kind: "verify_email", status: "sent", attempts: 1 });
    expect(row!.sentAt).toBeInstanceOf(Date);
  });

  it("retries after the server refuses with a temporary error (4xx), and delivers once", async () => {
    mailbox.refuseNext(2);
    const email = uniqueEmail("refused");
    const session = await signUp(t.app, email);
    await mailbox.waitFor((candidate) => candidate.to === email);
    await until(async () => (await rowsOf(t, session.user.id))[0]?.status === "sent", "the row to be marked sent");
    const [row] = await rowsOf(t, session.user.id);
    expect(row!.attempts).toBe(3);
    expect(row!.lastError).toMatch(/451/);
    expect(mailbox.received.filter((candidate) => candidate.to === email)).toHaveLength(1);
  });

  it("keeps every message while the server is down and delivers each once when it is back", async () => {
    await mailbox.stop();
    const emails = Array.from({ length: 5 }, () => uniqueEmail("down"));
    const sessions = await Promise.all(emails.map((email) => signUp(t.app, email)));
    // Each has been tried and refused at least twice.
    await until(async () => {
      const rows = await Promise.all(sessions.map((session) => rowsOf(t, session.user.id)));
      return rows.every(([row]) => row !== undefined && row.attempts >= 2 && row.status === "pending");
    }, "failed attempts");
    await mailbox.start();
    await until(
      async () => emails.every((email) => mailbox.received.some((candidate) => candidate.to === email)),
      "every message",
    );
    for (const email of emails) expect(mailbox.received.filter((candidate) => candidate.to === email)).toHaveLength(1);
  });

  it("gives up after the retry window and marks the message failed", async () => {
    const down = await startMailbox();
    await down.stop();
    const shortLived = await buildTestApp({ ...mailEnv(down), MAIL_RETRY_HOURS: "0.0002" });
    try {
      const session = await signUp(shortLived.app);
      await until(async () => (await rowsOf(shortLived, session.user.id))[0]?.status === "failed", "a failed row");
      const [row] = await rowsOf(shortLived, session.user.id);
      expect(row!.attempts).toBeGreaterThanOrEqual(1);
      expect(row!.lastError).toMatch(/ECONNREFUSED|connect/i);
    } finally {
      await shortLived.close();
    }
  });

  it("computes exponential back-off with jitter, capped at an hour", () => {
    expect(retryDelayMs(1, 30_000, () => 0.5)).toBe(30_000);
    expect(retryDelayMs(2, 30_000, () => 0.5)).toBe(60_000);
    expect(retryDelayMs(5, 30_000, () => 0.5)).toBe(480_000);
    expect(retryDelayMs(30, 30_000, () => 0.5)).toBe(3_600_000);
    expect(retryDelayMs(1, 30_000, () => 0)).toBeCloseTo(24_000);
    expect(retryDelayMs(1, 30_000, () => 1)).toBeCloseTo(36_000);
  });

  it.skipIf(!onPostgres)(
    "never sends one message twice when two instances share the database (PostgreSQL only)",
    async () => {
      const second = await buildTestApp(
        { ...mailEnv(mailbox), AUTH_KEY_SECRET: t.config.AUTH_KEY_SECRET! },
        t.database,
      );
      try {
        const email = uniqueEmail("shared");
        const session = await signUp(t.app, email);
        await mailbox.waitFor((candidate) => candidate.to === email);
        // Slow acceptance makes the two senders' rounds overlap.
        mailbox.delayEach(5);
        const count = 120;
        await t.app.db.transaction(async (tx) => {
          for (let i = 0; i < count; i++) {
            await notifySecurityEvent(tx, session.user.id, "password_changed", null, { detail: `notice ${i}` });
          }
        });
        await until(
          async () => (await rowsOf(t, session.user.id)).every((row) => row.status === "sent"),
          "every notice sent",
        );
        const notices = mailbox.received.filter(
          (candidate) => candidate.to === email && /notice \d+/.test(candidate.text),
        );
        const numbers = notices.map((candidate) => /notice (\d+)/.exec(candidate.text)![1]);
        expect(new Set(numbers).size).toBe(count);
        expect(numbers).toHaveLength(count);
      } finally {
        mailbox.delayEach(0);
        await second.close();
      }
    },
  );

  it("sends nothing for a message whose transaction rolls back", async () => {
    const email = uniqueEmail("rolled-back");
    const session = await signUp(t.app, email);
    await mailbox.waitFor((candidate) => candidate.to === email);
    await expect(
      t.app.db.transaction(async (tx) => {
        await notifySecurityEvent(tx, session.user.id, "password_changed", null);
        throw new Error("the action failed");
      }),
    ).rejects.toThrow("the action failed");
    const [pending] = await t.app.db
      .select({ count: sql<number>`count(*)::int` })
      .from(mailOutbox)
      .where(eq(mailOutbox.userId, session.user.id));
    expect(pending!.count).toBe(1);
  });
});
