#!/usr/bin/env node
// Live-update streams benchmark (not a timed test): the API's memory with 1,000 open
// GET /api/v1/events streams, and the delay from a write to its arrival on a stream.
//
//   node bench/streams.mjs [--db=pglite|postgres|both] [--streams=1000] [--changes=100]
//
// Builds apps/api, starts it as a production process on a fresh database (PGlite in a temp dir,
// and/or a fresh PostgreSQL database on BENCH_DATABASE_URL / TEST_DATABASE_URL), signs up
// streams/10 users (10 streams each, the default per-user cap), opens the streams over HTTP and
// reads the API's resident set size from /proc. Then, with all streams open, one user writes
// `changes` todos one after another; for each, the time from sending the write to the event's
// arrival on that user's stream is recorded (median, p95, worst), as is the time from the write's
// response to the event.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { Agent, request } from "node:http";
import { fileURLToPath } from "node:url";
import { apiEnv, call, freshPglite, freshPostgres, PASSWORD, postgresReachable } from "./fixtures.mjs";
import { freePort, rssMb, startProcess, stopProcess } from "./processes.mjs";

const args = Object.fromEntries(
  process.argv.slice(2).map((arg) => {
    const [key, value] = arg.replace(/^--/, "").split("=");
    return [key, value ?? "true"];
  }),
);
const STREAMS = Number(args.streams ?? 1000);
const CHANGES = Number(args.changes ?? 100);
const PER_USER = 10;
const apiDir = fileURLToPath(new URL("../apps/api/", import.meta.url));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const log = (message) => console.error(`[streams] ${message}`);

/** An SSE client on a plain socket: counts frames, remembers when each id arrived. */
function openStream(base, token, agent) {
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api/v1/events`, { agent, headers: { authorization: `Bearer ${token}` } });
    req.on("error", reject);
    req.on("response", (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`stream answered ${res.statusCode}`));
        res.resume();
        return;
      }
      const stream = { arrivals: new Map(), waiters: new Map(), close: () => req.destroy() };
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        const now = performance.now();
        buffer += chunk;
        let end = buffer.indexOf("\n\n");
        while (end !== -1) {
          const id = /^id: (\d+)$/m.exec(buffer.slice(0, end))?.[1];
          buffer = buffer.slice(end + 2);
          if (id) {
            stream.arrivals.set(Number(id), now);
            stream.waiters.get(Number(id))?.(now);
          }
          end = buffer.indexOf("\n\n");
        }
      });
      res.on("error", () => {});
      resolve(stream);
    });
    req.end();
  });
}

const waitFor = (stream, id, timeoutMs = 10_000) =>
  stream.arrivals.has(id)
    ? Promise.resolve(stream.arrivals.get(id))
    : new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`event ${id} did not arrive`)), timeoutMs);
        stream.waiters.set(id, (at) => {
          clearTimeout(timer);
          stream.waiters.delete(id);
          resolve(at);
        });
      });

/** RSS once it stops moving (three samples 1 s apart within 1 MB), at most 30 s. */
async function settledRss(pid) {
  const samples = [rssMb(pid)];
  for (let i = 0; i < 30; i++) {
    await sleep(1000);
    samples.push(rssMb(pid));
    const last = samples.slice(-3);
    if (last.length === 3 && Math.max(...last) - Math.min(...last) < 1) break;
  }
  return samples.at(-1);
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const round = (value) => Math.round(value * 100) / 100;
  return { median: round(at(0.5)), p95: round(at(0.95)), worst: round(sorted.at(-1)), n: sorted.length };
}

async function benchDatabase(kind) {
  const database = kind === "postgres" ? await freshPostgres() : freshPglite();
  const port = await freePort();
  let api;
  const streams = [];
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  try {
    api = await startProcess({
      name: "api",
      args: ["dist/server.js"],
      cwd: apiDir,
      env: { ...apiEnv(database.env, port), STREAMS_PER_USER: String(PER_USER) },
      port,
    });
    const base = `http://127.0.0.1:${port}`;
    const users = [];
    const userCount = Math.ceil(STREAMS / PER_USER);
    log(`${kind}: signing up ${userCount} users`);
    for (let i = 0; i < userCount; i += 10) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(10, userCount - i) }, () =>
          call(base, "POST", "/api/v1/auth/signup", {
            body: { email: `stream-${randomBytes(5).toString("hex")}@bench.example`, password: PASSWORD },
          }),
        ),
      );
      users.push(...batch);
    }
    // Warm the routes once, then wait for the memory of the sign-ups (Argon2) to be given back.
    await call(base, "GET", "/api/v1/changes?since=0", { token: users[0].accessToken });
    const idleRss = await settledRss(api.child.pid);

    log(`${kind}: opening ${STREAMS} streams`);
    // In batches, as clients arriving over a few seconds would; a 503 (load shedding) is retried.
    for (let i = 0; i < STREAMS; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, STREAMS - i) }, async (_, j) => {
          for (let attempt = 0; ; attempt++) {
            try {
              return await openStream(base, users[Math.floor((i + j) / PER_USER)].accessToken, agent);
            } catch (error) {
              if (attempt >= 10 || !/503/.test(error.message)) throw error;
              await sleep(500);
            }
          }
        }),
      );
      streams.push(...batch);
    }
    const openRss = await settledRss(api.child.pid);

    // One change per user reaches all ten of its streams: every stream is live.
    const fanOutStarted = performance.now();
    await Promise.all(
      users.map((user) => call(base, "POST", "/api/v1/todos", { token: user.accessToken, body: { title: "fan-out" } })),
    );
    await Promise.all(streams.map((stream) => waitFor(stream, 1)));
    const fanOutMs = performance.now() - fanOutStarted;
    await sleep(1000);
    const afterFanOutRss = rssMb(api.child.pid);

    log(`${kind}: ${CHANGES} writes, each timed to its arrival on a stream`);
    const writer = users[0];
    const watched = streams[0];
    const fromRequest = [];
    const fromResponse = [];
    for (let i = 0; i < CHANGES; i++) {
      const sent = performance.now();
      await call(base, "POST", "/api/v1/todos", { token: writer.accessToken, body: { title: `change ${i}` } });
      const answered = performance.now();
      const arrived = await waitFor(watched, i + 2);
      fromRequest.push(arrived - sent);
      fromResponse.push(Math.max(0, arrived - answered));
    }

    for (const stream of streams) stream.close();
    const closedRss = await settledRss(api.child.pid);

    return {
      database: kind,
      streams: STREAMS,
      users: userCount,
      rssIdleMb: Math.round(idleRss),
      rssWithStreamsMb: Math.round(openRss),
      rssAfterFanOutMb: Math.round(afterFanOutRss),
      rssAfterClosingMb: Math.round(closedRss),
      kbPerStream: Math.round(((openRss - idleRss) * 1024) / STREAMS),
      fanOutMs: Math.round(fanOutMs),
      writeToEventMs: summary(fromRequest),
      responseToEventMs: summary(fromResponse),
    };
  } finally {
    for (const stream of streams) stream.close();
    agent.destroy();
    await stopProcess(api);
    await database.drop();
  }
}

log("building the API");
execFileSync(process.execPath, ["build.mjs"], { cwd: apiDir, stdio: "inherit" });
const wanted = args.db ?? "both";
const kinds = wanted === "both" ? ["pglite", "postgres"] : [wanted];
const results = [];
for (const kind of kinds) {
  if (kind === "postgres" && !(await postgresReachable())) {
    log("postgres: SKIPPED (no server at BENCH_DATABASE_URL / TEST_DATABASE_URL)");
    continue;
  }
  results.push(await benchDatabase(kind));
}
console.log(JSON.stringify({ node: process.version, results }, null, 2));
