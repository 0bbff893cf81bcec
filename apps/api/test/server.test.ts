import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Session } from "@taskvault/contract/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, onPostgres, PASSWORD, type TestDatabase, uniqueEmail } from "./helpers/app.ts";
import { runToExit, startServer } from "./helpers/process.ts";

// The real server process: start-up, configuration errors, key rotation and a clean stop.
let dataDir: string;
let database: TestDatabase | undefined;
let env: Record<string, string>;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "taskvault-server-"));
  env = { DATA_DIR: dataDir, AUTH_RATE_LIMIT: "off" };
  if (onPostgres) {
    database = await createTestDatabase();
    // The test's own connection is not needed: the server opens its own.
    env.DATABASE_URL = database.url!;
    env.AUTH_KEY_SECRET = randomBytes(32).toString("base64");
  }
});
afterAll(async () => {
  await database?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Reads a JSON response body as the type the test expects of it. */
async function body<T>(response: Response | Promise<Response>): Promise<T> {
  return (await (await response).json()) as T;
}
interface Jwks {
  keys: { kid: string }[];
}

const json = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("the server process", { timeout: 180_000 }, () => {
  it("keeps data written before a SIGTERM and serves it after a restart", async () => {
    const first = await startServer(env);
    const session = await body<Session>(
      json(`${first.url}/api/v1/auth/signup`, { email: uniqueEmail(), password: PASSWORD }),
    );
    const created = await json(
      `${first.url}/api/v1/todos`,
      { title: "Survive a restart" },
      { authorization: `Bearer ${session.accessToken}` },
    );
    expect(created.status).toBe(201);
    expect(await first.stop("SIGTERM")).toBe(0);

    const second = await startServer(env);
    try {
      // The signing key survived too: the old access token still verifies.
      const list = await fetch(`${second.url}/api/v1/todos`, {
        headers: { authorization: `Bearer ${session.accessToken}` },
      });
      expect(list.status).toBe(200);
      expect((await body<{ items: { title: string }[] }>(list)).items.map((todo) => todo.title)).toEqual([
        "Survive a restart",
      ]);
    } finally {
      await second.stop();
    }
  });

  it("never writes passwords or tokens to its logs", async () => {
    const server = await startServer({ ...env, LOG_LEVEL: "trace" });
    const email = uniqueEmail();
    const session = await body<Session>(json(`${server.url}/api/v1/auth/signup`, { email, password: PASSWORD }));
    await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${session.accessToken}` } });
    await json(`${server.url}/api/v1/auth/refresh`, { refreshToken: session.refreshToken });
    await server.stop();
    const logs = server.output();
    expect(logs).toContain("request completed");
    expect(logs).not.toContain(PASSWORD);
    expect(logs).not.toContain(session.accessToken);
    expect(logs).not.toContain(session.refreshToken);
  });

  it("rotates the signing key with the keys:rotate command without signing anyone out", async () => {
    let server = await startServer(env);
    const session = await body<Session>(
      json(`${server.url}/api/v1/auth/signup`, { email: uniqueEmail(), password: PASSWORD }),
    );
    const kidOf = (token: string) => JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString()).kid;
    if (!onPostgres) {
      // The embedded database belongs to one process: the command refuses while the server runs.
      const refused = await runToExit("rotate-keys.js", env);
      expect(refused.code).toBe(1);
      expect(refused.output).toContain("in use by process");
      await server.stop();
    }
    const rotation = await runToExit("rotate-keys.js", env);
    expect(rotation.code).toBe(0);
    expect(rotation.output).toMatch(/New signing key \S+ is active/);
    if (!onPostgres) server = await startServer(env);
    try {
      // Running instances pick the key up on their next reload; a restart or the periodic reload does it.
      const jwks = await body<Jwks>(fetch(`${server.url}/.well-known/jwks.json`));
      if (!onPostgres) {
        expect(jwks.keys.map((key) => key.kid)).toContain(kidOf(session.accessToken));
        expect(jwks.keys).toHaveLength(2);
        const fresh = await body<Session>(
          json(`${server.url}/api/v1/auth/signin`, { email: session.user.email, password: PASSWORD }),
        );
        expect(kidOf(fresh.accessToken)).not.toBe(kidOf(session.accessToken));
      } else {
        // A newly started instance signs with the new key; the running one accepts its tokens
        // (an unknown kid makes it re-read the key set).
        const other = await startServer(env);
        try {
          const fresh = await body<Session>(
            json(`${other.url}/api/v1/auth/signin`, { email: session.user.email, password: PASSWORD }),
          );
          expect(kidOf(fresh.accessToken)).not.toBe(kidOf(session.accessToken));
          const accepted = await fetch(`${server.url}/api/v1/me`, {
            headers: { authorization: `Bearer ${fresh.accessToken}` },
          });
          expect(accepted.status).toBe(200);
        } finally {
          await other.stop();
        }
      }
      const old = await fetch(`${server.url}/api/v1/me`, {
        headers: { authorization: `Bearer ${session.accessToken}` },
      });
      expect(old.status).toBe(200);
    } finally {
      await server.stop();
    }
  });
});

describe("configuration", () => {
  it("exits naming the variable when a value is invalid", async () => {
    const result = await runToExit("server.js", { DATA_DIR: dataDir, AUTH_ACCESS_TTL: "soon" });
    expect(result.code).toBe(1);
    expect(result.output).toContain("AUTH_ACCESS_TTL");
  });

  it("refuses to start in production without AUTH_KEY_SECRET", async () => {
    const result = await runToExit("server.js", { DATA_DIR: dataDir, NODE_ENV: "production" });
    expect(result.code).toBe(1);
    expect(result.output).toContain("AUTH_KEY_SECRET");
    expect(result.output).toContain("NODE_ENV=production");
  });
});
