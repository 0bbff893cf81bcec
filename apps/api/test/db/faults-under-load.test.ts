import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Session } from "@taskvault/contract/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStream, type SseStream } from "../changes/sse.ts";
import { createTestDatabase, PASSWORD, type TestDatabase, uniqueEmail } from "../helpers/app.ts";
import { runToExit, type ServerProcess, startServer } from "../helpers/process.ts";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy.ts";
import { type FaultFigures, pollReadiness, type Sample, sleep, startLoad, summarise } from "./load.ts";

// Two real API processes on one PostgreSQL database (and one Redis when TEST_REDIS_URL is set),
// reaching each through a TCP proxy of the test's own, under 100 requests a second; the proxies
// play the database restart, the hung server and the Redis outage (the shared servers themselves
// are never touched). test/db/faults.test.ts covers the same faults one request at a time. Figures are printed (decision 017); only generous
// bounds are asserted.

const databaseUrl = process.env.TEST_DATABASE_URL;
const skipReason = !databaseUrl
  ? "TEST_DATABASE_URL is not set"
  : process.env.TASKVAULT_TEST_DB !== "postgres"
    ? "they run once, in the postgres project"
    : null;
const redisUrl = process.env.TEST_REDIS_URL;
if (!skipReason && !redisUrl)
  console.warn(
    "\n[taskvault] fault tests under load run WITHOUT Redis, and the Redis outage test is SKIPPED: TEST_REDIS_URL is not set\n",
  );
if (skipReason)
  console.warn(`\n[taskvault] PostgreSQL fault tests SKIPPED (${process.env.TASKVAULT_TEST_DB}): ${skipReason}\n`);

const RATE_PER_SECOND = 100;
/** Generous bounds: the figures themselves are what decision 017 records. */
const LONGEST_REQUEST_BOUND_MS = 12_000;
const RECOVERY_BOUND_MS = 10_000;
const READINESS_BOUND_MS = 3_000;

/** The slowest /readyz answer as the server itself timed it (its request log), free of the test's own lag. */
function slowestReadinessOnServer(servers: ServerProcess[]): number {
  let slowest = 0;
  for (const server of servers) {
    const readiness = new Set<string>();
    for (const line of server.output().split("\n")) {
      if (!line.startsWith("{")) continue;
      const entry = JSON.parse(line) as { reqId?: string; req?: { url?: string }; responseTime?: number };
      if (entry.req?.url === "/readyz" && entry.reqId) readiness.add(entry.reqId);
      if (entry.responseTime !== undefined && entry.reqId && readiness.has(entry.reqId)) {
        slowest = Math.max(slowest, entry.responseTime);
      }
    }
  }
  return Math.round(slowest);
}

function report(name: string, figures: Record<string, unknown>) {
  console.log(`[faults] ${name}: ${JSON.stringify(figures)}`);
}

/** Every answer is a success or a clean 503 problem+json with Retry-After; never a 500 or no answer. */
function expectCleanFailures(samples: Sample[]) {
  const unclean = samples.filter(
    (sample) =>
      !(sample.status >= 200 && sample.status < 300) &&
      !(
        sample.status === 503 &&
        sample.code === "service_unavailable" &&
        sample.retryAfter !== null &&
        /^application\/problem\+json/.test(sample.contentType ?? "")
      ),
  );
  expect(unclean.map((sample) => `${sample.method} ${sample.path} → ${sample.status} ${sample.code ?? ""}`)).toEqual(
    [],
  );
}

describe.skipIf(skipReason !== null)("riding out PostgreSQL faults (two instances under load)", () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  /** Between the instances and Redis, when TEST_REDIS_URL is set (the deployment shape of docs/deploy.md). */
  let redisProxy: TcpProxy | null = null;
  let a: ServerProcess;
  let b: ServerProcess;
  let session: Session;
  const dataDirs: string[] = [];
  const secret = randomBytes(32).toString("base64");
  const prefix = `taskvault-faults-${randomBytes(4).toString("hex")}:`;

  const env = (extra: Record<string, string> = {}) => {
    const dataDir = mkdtempSync(join(tmpdir(), "taskvault-faults-"));
    dataDirs.push(dataDir);
    return {
      DATABASE_URL: viaProxy(database.url!),
      ...(redisProxy ? { REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`, REDIS_KEY_PREFIX: prefix } : {}),
      AUTH_KEY_SECRET: secret,
      DATA_DIR: dataDir,
      ...extra,
    };
  };

  /** The database's URL with the proxy's address in place of the server's. */
  const viaProxy = (url: string) => {
    const rewritten = new URL(url);
    rewritten.hostname = "127.0.0.1";
    rewritten.port = String(proxy.port);
    return rewritten.href;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    const server = new URL(databaseUrl!);
    proxy = await startTcpProxy(Number(server.port || 5432), server.hostname);
    if (redisUrl) {
      const redis = new URL(redisUrl);
      redisProxy = await startTcpProxy(Number(redis.port || 6379), redis.hostname);
    }
    [a, b] = await Promise.all([startServer(env()), startServer(env())]);
    const response = await fetch(`${a.url}/api/v1/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: uniqueEmail("faults"), password: PASSWORD }),
    });
    session = (await response.json()) as Session;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await proxy?.close();
    await redisProxy?.close();
    await database?.drop();
    for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
  });

  /** Todos the API acknowledged (201) that the database does not hold. */
  async function lostWrites(samples: Sample[]): Promise<string[]> {
    const acknowledged = samples.flatMap((sample) => (sample.createdId ? [sample.createdId] : []));
    const client = (
      database.handle.db as unknown as { $client: { unsafe(q: string, p: unknown[]): Promise<{ id: string }[]> } }
    ).$client;
    const rows = await client.unsafe("select id from todos where id = any($1::uuid[])", [acknowledged]);
    const stored = new Set(rows.map((row) => row.id));
    return acknowledged.filter((id) => !stored.has(id));
  }

  /** POSTs a todo on `server` until one is acknowledged; returns its id. */
  async function writeUntilAcknowledged(server: ServerProcess, title: string): Promise<string> {
    const deadline = performance.now() + 30_000;
    for (;;) {
      if (performance.now() > deadline) throw new Error("no write was acknowledged within 30 s of the fault's end");
      const response = await fetch(`${server.url}/api/v1/todos`, {
        method: "POST",
        headers: { authorization: `Bearer ${session.accessToken}`, "content-type": "application/json" },
        body: JSON.stringify({ title }),
        signal: AbortSignal.timeout(10_000),
      }).catch(() => null);
      if (response?.status === 201) return ((await response.json()) as { id: string }).id;
      await response?.arrayBuffer();
      await sleep(20);
    }
  }

  /**
   * An event stream on `server` that reconnects the way EventSource does (after a short wait, from
   * its last event id) when the server ends it, e.g. because the change log could not be read.
   */
  function followChanges(server: ServerProcess) {
    const seen: string[] = [];
    let current: SseStream | null = null;
    let lastEventId: string | undefined;
    let reconnects = 0;
    let stopped = false;
    const run = (async () => {
      while (!stopped) {
        const stream = await openStream(server.url, session.accessToken, lastEventId ? { lastEventId } : {}).catch(
          () => null,
        );
        if (stream?.status === 200) {
          current = stream;
          let taken = 0;
          while (!stream.isEnded() && !stopped) {
            for (const event of stream.events.slice(taken)) {
              seen.push(event.data);
              lastEventId = event.id ?? lastEventId;
            }
            taken = stream.events.length;
            await sleep(5);
          }
          for (const event of stream.events.slice(taken)) seen.push(event.data);
        }
        if (stopped) break;
        reconnects++;
        await sleep(250);
      }
    })();
    return {
      /** How long after `since` a change carrying `id` arrived. */
      async deliveredAfter(id: string, since: number): Promise<number> {
        const deadline = performance.now() + 30_000;
        while (!seen.some((data) => data.includes(id))) {
          if (performance.now() > deadline)
            throw new Error(`the change never reached the other instance ${JSON.stringify(seen.slice(-3))} ${id}`);
          await sleep(5);
        }
        return Math.round(performance.now() - since);
      },
      reconnects: () => reconnects,
      async stop() {
        stopped = true;
        (current as SseStream | null)?.close();
        await run;
      },
    };
  }

  async function ride(name: string, fault: { begin(): Promise<void> | void; end(): Promise<void> }, faultMs: number) {
    const changes = followChanges(b);
    const load = startLoad(
      [a, b].map((server) => ({ server, token: session.accessToken })),
      RATE_PER_SECOND,
    );
    const readiness = pollReadiness([a, b]);
    await sleep(1_000);
    const from = performance.now();
    await fault.begin();
    await sleep(faultMs);
    await fault.end();
    const to = performance.now();
    // The change listener of instance b: a write acknowledged by a after the fault must reach b's stream.
    const id = await writeUntilAcknowledged(a, `${name}: written after the fault`);
    const acknowledgedAt = performance.now();
    const listenerMs = await changes.deliveredAfter(id, to);
    await sleep(3_000);
    const [samples, probes] = await Promise.all([load.stop(), readiness.stop()]);
    await changes.stop();
    const figures: FaultFigures = summarise(samples, { from, to });
    const probesDuringFault = probes.filter((probe) => probe.at >= from + 500 && probe.at < to);
    const probesAfterRecovery = probes.filter((probe) => probe.at >= acknowledgedAt + 1000);
    const lost = await lostWrites(samples);
    report(name, {
      faultMs: Math.round(to - from),
      ...figures,
      readyzSlowestMs: Math.max(...probes.map((probe) => probe.ms)),
      readyzSlowestOnServerMs: slowestReadinessOnServer([a, b]),
      readyzDuringFault: countBy(probesDuringFault.map((probe) => String(probe.status))),
      readyzOneSecondAfter: countBy(probesAfterRecovery.map((probe) => String(probe.status))),
      firstWriteAcknowledgedAfterMs: Math.round(acknowledgedAt - to),
      listenerDeliveredAfterRecoveryMs: listenerMs,
      streamReconnects: changes.reconnects(),
      acknowledgedWritesLost: lost.length,
    });
    return { samples, figures, probes, probesDuringFault, probesAfterRecovery, listenerMs, lost };
  }

  it("a restarting database (connections reset, then refused): clean 503s, no hang, back at once, nothing lost", async () => {
    const run = await ride(
      "database restart (2.5 s refused)",
      { begin: () => proxy.refuse(), end: () => proxy.accept() },
      2_500,
    );
    expectCleanFailures(run.samples);
    expect(run.figures.byStatus["503 service_unavailable"]).toBeGreaterThan(0);
    expect(run.figures.longestDuringFaultMs).toBeLessThan(LONGEST_REQUEST_BOUND_MS);
    expect(run.figures.firstSuccessAfterRecoveryMs).not.toBeNull();
    expect(run.figures.firstSuccessAfterRecoveryMs!).toBeLessThan(RECOVERY_BOUND_MS);
    expect(run.listenerMs).toBeLessThan(RECOVERY_BOUND_MS);
    expect(run.probes.every((probe) => probe.status !== 0 && probe.ms < READINESS_BOUND_MS)).toBe(true);
    expect(run.probesDuringFault.some((probe) => probe.status === 503)).toBe(true);
    // Ready again once the database is: the probe's own connection must not stay behind.
    expect(run.probesAfterRecovery.map((probe) => probe.status)).not.toContain(503);
    expect(run.lost).toEqual([]);
  }, 120_000);

  it("a hung database (connections stall, new ones never answer): requests end in bounded time as 503s, nothing lost", async () => {
    const run = await ride(
      "database hung (8 s stalled)",
      { begin: () => proxy.blackhole(), end: () => proxy.accept() },
      8_000,
    );
    expectCleanFailures(run.samples);
    expect(run.figures.longestDuringFaultMs).toBeLessThan(LONGEST_REQUEST_BOUND_MS);
    expect(run.figures.firstSuccessAfterRecoveryMs).not.toBeNull();
    expect(run.figures.firstSuccessAfterRecoveryMs!).toBeLessThan(RECOVERY_BOUND_MS);
    expect(run.listenerMs).toBeLessThan(RECOVERY_BOUND_MS);
    expect(run.probes.every((probe) => probe.status !== 0 && probe.ms < READINESS_BOUND_MS)).toBe(true);
    expect(run.probesDuringFault.some((probe) => probe.status === 503)).toBe(true);
    // Ready again once the database is: the probe's own connection must not stay behind.
    expect(run.probesAfterRecovery.map((probe) => probe.status)).not.toContain(503);
    expect(run.lost).toEqual([]);
  }, 120_000);

  it.skipIf(!redisUrl)(
    "Redis killed for 3 s (connections cut, then refused): no request fails or hangs, live updates resume",
    async () => {
      const run = await ride(
        "Redis down (3 s refused)",
        { begin: () => redisProxy!.refuse(), end: () => redisProxy!.accept() },
        3_000,
      );
      expectCleanFailures(run.samples);
      expect(run.figures.byStatus["503 service_unavailable"] ?? 0).toBe(0);
      expect(run.figures.longestDuringFaultMs).toBeLessThan(LONGEST_REQUEST_BOUND_MS);
      expect(run.listenerMs).toBeLessThan(RECOVERY_BOUND_MS);
      expect(run.lost).toEqual([]);
    },
    120_000,
  );

  it("starts once the database comes up, having said what it waits for (never the password)", async () => {
    await proxy.refuse();
    const url = new URL(viaProxy(database.url!));
    url.username = "postgres";
    url.password = "not-a-real-password-but-secret";
    const restored = sleep(2_500).then(() => proxy.accept());
    const started = performance.now();
    const server = await startServer(env({ DATABASE_URL: url.href }), 60_000);
    try {
      await restored;
      report("start-up with the database down for 2.5 s", { readyAfterMs: Math.round(performance.now() - started) });
      expect(server.output()).toContain(`waiting for PostgreSQL at 127.0.0.1:${proxy.port} (DATABASE_URL)`);
      expect(server.output()).not.toContain("not-a-real-password-but-secret");
    } finally {
      await restored;
      await server.stop();
    }
  }, 90_000);

  it("exits non-zero naming DATABASE_URL when the database stays down", async () => {
    await proxy.refuse();
    try {
      const result = await runToExit("server.js", { ...env({ DATABASE_STARTUP_WAIT: "2" }), LOG_LEVEL: "info" });
      expect(result.code).not.toBe(0);
      expect(result.output).toContain("DATABASE_URL");
      expect(result.output).toContain(`127.0.0.1:${proxy.port}`);
    } finally {
      await proxy.accept();
    }
  }, 60_000);
});

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
