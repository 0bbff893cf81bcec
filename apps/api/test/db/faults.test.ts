import type { FastifyInstance } from "fastify";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, waitForPostgres } from "../../src/db/client.ts";
import { listen, openStream } from "../changes/sse.ts";
import { as, buildTestApp, createTestDatabase, onPostgres, signUp, type TestApp } from "../helpers/app.ts";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy.ts";

// The database goes away under load — restarted, or behind a dead network path — with a TCP
// proxy of the test's own between the API and the shared PostgreSQL (never the server itself).
// Figures are printed; only generous bounds are asserted (decision 017).
const describeOnPostgres = onPostgres ? describe : describe.skip;

interface Outcome {
  status: number;
  startedAt: number;
  ms: number;
  retryAfter: string | undefined;
  createdId?: string;
}

/** Keeps `workers` requests in flight (lists and creates) until `during` resolves. */
async function underLoad(app: FastifyInstance, token: string, during: () => Promise<void>, workers = 8) {
  const request = as(app, { accessToken: token });
  const outcomes: Outcome[] = [];
  let running = true;
  let count = 0;
  const work = async (index: number) => {
    while (running) {
      const startedAt = performance.now();
      const isWrite = index % 2 === 0;
      const response = await request(
        isWrite
          ? { method: "POST", url: "/api/v1/todos", payload: { title: `under load ${count++}` } }
          : { method: "GET", url: "/api/v1/todos?limit=5" },
      );
      outcomes.push({
        status: response.statusCode,
        startedAt,
        ms: performance.now() - startedAt,
        retryAfter: response.headers["retry-after"] as string | undefined,
        ...(response.statusCode === 201 && { createdId: response.json().id }),
      });
      // A client told to retry after a while does; others go on at once.
      if (response.statusCode === 503) await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const all = Array.from({ length: workers }, (_, index) => work(index));
  await during();
  running = false;
  await Promise.all(all);
  return outcomes;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describeOnPostgres("riding out database faults (PostgreSQL behind a proxy)", () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let token: string;
  let directUrl: string;

  beforeAll(async () => {
    const direct = await createTestDatabase();
    directUrl = direct.url!;
    const target = new URL(directUrl);
    proxy = await startTcpProxy(Number(target.port || 5432), target.hostname);
    const proxied = new URL(directUrl);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(proxy.port);
    await direct.handle.close();
    const handle = await openDatabase({ url: proxied.href, poolSize: 5 });
    t = await buildTestApp({}, { handle, url: proxied.href, drop: () => direct.drop() });
    token = (await signUp(t.app)).accessToken;
  });
  afterAll(async () => {
    await t?.close();
    await t?.database.drop();
    await proxy?.close();
  });

  async function readiness() {
    const started = performance.now();
    const response = await t.app.inject({ method: "GET", url: "/readyz" });
    return { status: response.statusCode, ms: performance.now() - started };
  }

  /** The fault's figures, and the checks every fault must pass. */
  async function expectRiddenOut(label: string, outcomes: Outcome[], healedAt: number) {
    const failures = outcomes.filter((outcome) => outcome.status >= 300);
    const firstAfter = outcomes
      .filter((outcome) => outcome.status < 300 && outcome.startedAt >= healedAt)
      .sort((a, b) => a.startedAt - b.startedAt)[0];
    const recoveryMs = firstAfter ? firstAfter.startedAt + firstAfter.ms - healedAt : Number.NaN;
    const longest = Math.max(...outcomes.map((outcome) => outcome.ms));
    console.log(
      `[faults] ${label}: ${outcomes.length} requests, ${failures.length} answered 503, longest ${longest.toFixed(0)} ms, ` +
        `first 2xx ${recoveryMs.toFixed(0)} ms after the database was back`,
    );
    // Clean answers only: success, or 503 with Retry-After. Never a 500, never a hang.
    expect(new Set(outcomes.map((outcome) => outcome.status))).toSatisfy((statuses: Set<number>) =>
      [...statuses].every((status) => [200, 201, 503].includes(status)),
    );
    expect(failures.every((outcome) => outcome.retryAfter === "1")).toBe(true);
    expect(failures.length).toBeGreaterThan(0);
    expect(longest).toBeLessThan(10_000);
    expect(recoveryMs).toBeLessThan(5_000);
    // Nothing acknowledged is lost.
    const created = outcomes.flatMap((outcome) => (outcome.createdId ? [outcome.createdId] : []));
    const sql = postgres(directUrl, { max: 1, onnotice: () => {} });
    try {
      const rows = await sql<{ id: string }[]>`select id from todos where id = any(${created}::uuid[])`;
      expect(rows.length).toBe(created.length);
    } finally {
      await sql.end();
    }
  }

  it("answers 503 with Retry-After while PostgreSQL restarts, and serves again at once after", async () => {
    let healedAt = 0;
    let readyDuring = { status: 0, ms: 0 };
    const outcomes = await underLoad(t.app, token, async () => {
      await sleep(500);
      await proxy.refuse();
      await sleep(1_000);
      readyDuring = await readiness();
      await sleep(1_200);
      await proxy.accept();
      healedAt = performance.now();
      await sleep(2_000);
    });
    console.log(`[faults] restart: /readyz answered ${readyDuring.status} in ${readyDuring.ms.toFixed(0)} ms`);
    expect(readyDuring.status).toBe(503);
    expect(readyDuring.ms).toBeLessThan(1_500);
    await expectRiddenOut("restart", outcomes, healedAt);
    expect((await readiness()).status).toBe(200);
  }, 60_000);

  it("answers 503 within the deadline while the network path swallows everything, then recovers", async () => {
    let healedAt = 0;
    let readyDuring = { status: 0, ms: 0 };
    const outcomes = await underLoad(t.app, token, async () => {
      await sleep(500);
      proxy.blackhole();
      await sleep(1_500);
      readyDuring = await readiness();
      await sleep(5_500);
      await proxy.accept();
      healedAt = performance.now();
      await sleep(2_500);
    });
    console.log(`[faults] blackhole: /readyz answered ${readyDuring.status} in ${readyDuring.ms.toFixed(0)} ms`);
    expect(readyDuring.status).toBe(503);
    expect(readyDuring.ms).toBeLessThan(1_500);
    await expectRiddenOut("blackhole", outcomes, healedAt);
  }, 60_000);

  it("resumes live updates within about a second after PostgreSQL is back, with nothing missed", async () => {
    // A second instance with a direct connection writes; this instance's listener went through the proxy.
    const writerDatabase = await openDatabase({ url: directUrl, poolSize: 2 });
    const writer = await buildTestApp(
      { AUTH_KEY_SECRET: t.config.AUTH_KEY_SECRET! },
      {
        handle: writerDatabase,
        url: directUrl,
        drop: async () => {},
      },
    );
    const session = await signUp(writer.app);
    const baseUrl = await listen(t.app);
    const first = await openStream(baseUrl, session.accessToken);
    expect(first.status).toBe(200);
    await proxy.refuse();
    // Written while this instance cannot reach the database; its stream may end meanwhile, and a
    // client then reconnects from where it was (Last-Event-ID), as the web app does.
    const during = await as(
      writer.app,
      session,
    )({ method: "POST", url: "/api/v1/todos", payload: { title: "while away" } });
    expect(during.statusCode).toBe(201);
    await sleep(1_000);
    await proxy.accept();
    const healedAt = performance.now();
    const after = await as(writer.app, session)({ method: "POST", url: "/api/v1/todos", payload: { title: "after" } });
    expect(after.statusCode).toBe(201);
    const titles: string[] = [];
    let stream = first;
    try {
      while (titles.length < 2 && performance.now() - healedAt < 5_000) {
        const got = await stream.waitForEvents(2 - titles.length, 1_000).catch(() => stream.events);
        titles.push(...got.slice(0).map((event) => JSON.parse(event.data).data?.title as string));
        if (titles.length >= 2) break;
        const lastEventId = stream.events.at(-1)?.id;
        stream.close();
        await sleep(100);
        stream = await openStream(baseUrl, session.accessToken, lastEventId ? { lastEventId } : { query: "?since=0" });
      }
      const tookMs = performance.now() - healedAt;
      console.log(`[faults] live updates: both changes arrived ${tookMs.toFixed(0)} ms after the database was back`);
      expect(titles).toEqual(["while away", "after"]);
      expect(tookMs).toBeLessThan(3_000);
    } finally {
      stream.close();
      await writer.close();
      await writerDatabase.close();
    }
  }, 30_000);

  it("waits for PostgreSQL at start-up, naming DATABASE_URL and never the password", async () => {
    const url = new URL(directUrl);
    url.hostname = "127.0.0.1";
    url.port = String(proxy.port);
    url.password = "s3cret-password";
    await proxy.refuse();
    const waits: string[] = [];
    setTimeout(() => void proxy.accept(), 1_500);
    await waitForPostgres(url.href, { timeoutMs: 20_000, onWait: (message) => waits.push(message) });
    expect(waits.length).toBeGreaterThan(0);
    expect(waits[0]).toContain(`waiting for PostgreSQL at 127.0.0.1:${proxy.port} (DATABASE_URL)`);

    await proxy.refuse();
    const failure = await waitForPostgres(url.href, { timeoutMs: 1_000, onWait: () => {} }).catch((error) => error);
    await proxy.accept();
    expect(String(failure)).toContain("DATABASE_URL");
    expect(String(failure)).not.toContain("s3cret");
    expect(waits.join("\n")).not.toContain("s3cret");
  }, 30_000);
});
