import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, onPostgres, PASSWORD, type TestDatabase, uniqueEmail } from "../helpers/app.ts";
import { type ServerProcess, startServer } from "../helpers/process.ts";
import { startMailbox, type TestMailbox } from "../helpers/smtp.ts";

// The outbox survives the API being killed outright (kill -9): every reset message queued before
// the kill is delivered after a restart. At most the messages in flight at the kill are sent twice
// (decision 019); nothing is lost.

const ACCOUNTS = 20;
const REQUESTS_PER_ACCOUNT = 10;
/** The sender claims this many messages per round (src/mail/sender.ts): the most a kill can leave in flight. */
const BATCH = 10;

let mailbox: TestMailbox;
let database: TestDatabase | undefined;
let dataDir: string;
let env: Record<string, string>;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  mailbox = await startMailbox();
  dataDir = mkdtempSync(join(tmpdir(), "taskvault-crash-"));
  if (onPostgres) {
    database = await createTestDatabase();
    await database.handle.close();
  }
  env = {
    DATA_DIR: dataDir,
    ...(database?.url ? { DATABASE_URL: database.url } : {}),
    AUTH_KEY_SECRET: randomBytes(32).toString("base64"),
    AUTH_RATE_LIMIT: "off",
    SMTP_URL: mailbox.url,
    PUBLIC_URL: "https://todo.example",
    MAIL_POLL_SECONDS: "0.05",
    MAIL_RETRY_BASE_SECONDS: "0.2",
    MAIL_SEND_TIMEOUT_SECONDS: "1",
    LOG_LEVEL: "info",
  };
});

afterAll(async () => {
  for (const server of servers) await server.stop("SIGKILL");
  await mailbox?.close();
  if (database) {
    const { default: postgres } = await import("postgres");
    const admin = postgres(process.env.TEST_DATABASE_URL!, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${new URL(database.url!).pathname.slice(1)} with (force)`);
    await admin.end();
  }
  rmSync(dataDir, { recursive: true, force: true });
});

async function post(server: ServerProcess, path: string, body: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

describe("the outbox across a crash", () => {
  it("delivers every one of 200 queued reset messages after kill -9 and a restart", { timeout: 180_000 }, async () => {
    const first = await startServer(env);
    servers.push(first);
    const emails = Array.from({ length: ACCOUNTS }, () => uniqueEmail("crash"));
    for (const email of emails) {
      expect(await post(first, "/api/v1/auth/signup", { email, password: PASSWORD })).toBe(201);
    }
    await Promise.all(emails.map((email) => mailbox.waitFor((mail) => mail.to === email)));

    // The SMTP server goes down; 200 reset requests pile up in the outbox.
    await mailbox.stop();
    for (let round = 0; round < REQUESTS_PER_ACCOUNT; round++) {
      const statuses = await Promise.all(emails.map((email) => post(first, "/api/v1/auth/password/forgot", { email })));
      expect(statuses.every((status) => status === 202)).toBe(true);
    }
    // It comes back, slow, and the API is killed while it works through the queue.
    mailbox.delayEach(100);
    await mailbox.start();
    const isReset = (mail: { subject: string }) => mail.subject.startsWith("Reset your password");
    await mailbox.waitFor((mail) => isReset(mail), 60_000);
    expect(await first.stop("SIGKILL")).toBeNull();
    const beforeRestart = mailbox.received.filter(isReset).length;
    expect(beforeRestart).toBeLessThan(ACCOUNTS * REQUESTS_PER_ACCOUNT);

    mailbox.delayEach(0);
    const second = await startServer(env);
    servers.push(second);
    const resetsTo = (email: string) => mailbox.received.filter((mail) => isReset(mail) && mail.to === email).length;
    await mailbox.waitFor(() => emails.every((email) => resetsTo(email) >= REQUESTS_PER_ACCOUNT), 120_000);
    const resets = mailbox.received.filter(isReset);
    for (const email of emails) {
      expect(resets.filter((mail) => mail.to === email).length).toBeGreaterThanOrEqual(REQUESTS_PER_ACCOUNT);
    }
    // Only what was in flight at the kill may come twice.
    expect(resets.length).toBeLessThanOrEqual(ACCOUNTS * REQUESTS_PER_ACCOUNT + BATCH);
    await second.stop();
  });
});
