import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { PASSWORD, uniqueEmail } from "../helpers/app.ts";
import { type ServerProcess, startServer } from "../helpers/process.ts";

// Without SMTP_URL: development prints each message (recipient, subject, links) on the console so
// a local user can follow it; production warns at start-up and never logs a link.

let server: ServerProcess | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function start(env: Record<string, string>) {
  dataDir = mkdtempSync(join(tmpdir(), "taskvault-console-"));
  server = await startServer({ DATA_DIR: dataDir, MAIL_POLL_SECONDS: "0.05", ...env }, 150_000);
  return server;
}

const post = (base: string, path: string, body: unknown) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

async function waitForOutput(proc: ServerProcess, pattern: RegExp) {
  for (let i = 0; i < 400; i++) {
    if (pattern.test(proc.output())) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`Never printed ${pattern}:\n${proc.output()}`);
}

describe("mail without SMTP_URL", () => {
  // Each test starts the built API on a fresh embedded database: on a loaded machine that alone can
  // take longer than the default 30 s, and its start alone longer than startServer's default 60 s.
  it("prints each message's recipient, subject and link on the console in development", {
    timeout: 240_000,
  }, async () => {
    const proc = await start({ NODE_ENV: "development" });
    const email = uniqueEmail("console");
    expect((await post(proc.url, "/api/v1/auth/signup", { email, password: PASSWORD })).status).toBe(201);
    await waitForOutput(proc, /Link: http:\/\/localhost:3000\/verify-email\?token=[\w-]{43}/);
    expect(proc.output()).toContain(`To: ${email}`);
    expect(proc.output()).toContain("Subject: Confirm your email address");
    expect((await post(proc.url, "/api/v1/auth/password/forgot", { email })).status).toBe(202);
    await waitForOutput(proc, /Link: http:\/\/localhost:3000\/reset-password\?token=[\w-]{43}/);
  });

  it("warns at start-up in production and never logs a link", { timeout: 240_000 }, async () => {
    const proc = await start({ NODE_ENV: "production", AUTH_KEY_SECRET: randomBytes(32).toString("base64") });
    expect(proc.output()).toMatch(/SMTP_URL is not set/);
    const email = uniqueEmail("production");
    expect((await post(proc.url, "/api/v1/auth/signup", { email, password: PASSWORD })).status).toBe(201);
    expect((await post(proc.url, "/api/v1/auth/password/forgot", { email })).status).toBe(202);
    await proc.stop();
    expect(proc.output()).not.toMatch(/token=|verify-email|reset-password/);
  });
});
