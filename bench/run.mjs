// npm run bench [-- --smoke] [--duration 10] [--rounds 1] [--db pglite|postgres|both]
//   [--connections 10]
//   [--scenarios list,create,solo,crowd,toggle,mixed,rate,createRate,flood,shared,tokenList,totpSignin,authOff,scaleOut,bff]
//   [--cpu-prof] [--out FILE]
// Method and targets: docs/benchmarks.md. Everything runs on this machine, one process at a time
// under load, against a fresh database each run.
import { execSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { API_NODE_FLAGS } from "../apps/api/node-flags.mjs";
import { WEB_NODE_FLAGS } from "../apps/web/node-flags.mjs";
import { buildApi } from "./auth-off/build.mjs";
import { openDatabaseCpu } from "./database-cpu.mjs";
import {
  adminUrl,
  apiEnv,
  freshPglite,
  freshPostgres,
  markVerified,
  POOL_SIZE,
  postgresReachable,
  seed,
  seedSharing,
} from "./fixtures.mjs";
import { FIRST_WARMUP_SECONDS, load } from "./load.mjs";
import {
  cpuSeconds,
  freePort,
  sampleRss,
  startProcess,
  stopProcess,
  threadCount,
  threadsSettled,
} from "./processes.mjs";
import { renderReport } from "./report.mjs";
import { requestsFor } from "./scenarios.mjs";
import { loadSignIns, passwordSignIn, totpAccounts, totpSignIn } from "./sign-ins.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const { values: options } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    duration: { type: "string", default: "10" },
    db: { type: "string", default: "both" },
    connections: { type: "string", default: "10" },
    rounds: { type: "string", default: "1" },
    scenarios: { type: "string" },
    "cpu-prof": { type: "boolean", default: false },
    out: { type: "string" },
  },
});

const SMOKE = options.smoke;
const DURATION = Number(options.duration);
const CONNECTIONS = Number(options.connections);
const ROUNDS = SMOKE ? 1 : Number(options.rounds);
const ALL_SCENARIOS = [
  "list",
  "create",
  "solo",
  "crowd",
  "toggle",
  "mixed",
  "flood",
  "rate",
  "createRate",
  "shared",
  "tokenList",
  "totpSignin",
  "authOff",
  "scaleOut",
  "bff",
];
/**
 * Issue 18: owners of one shared list each (50 todos), every list shared with each member; the
 * runs of the shared scenario, interleaved in this order every round (scenarios.mjs sharedRead).
 */
const SHARED_LISTS = 10;
const SHARED_MEMBERS = 4;
const SHARED_RUNS = ["sharedOwnList", "sharedMemberList", "sharedOwnAll", "sharedMemberAll"];
/** Issue 14: users writing at once in the multi-user write scenario, one connection each. */
const CROWD = 50;
const SCENARIOS = new Set(options.scenarios ? options.scenarios.split(",") : ALL_SCENARIOS);
const FIXED_RATE = 1000;
/**
 * Issue 14: creates at one arrival rate for every target. A write's commit (the WAL flush) is
 * shared by the transactions that commit together, so a server that writes faster pays less
 * database CPU per write; compared at their own closed-loop throughputs, the slower side's
 * database CPU per create looks dearer than its SQL is. Low enough for a busy machine to sustain.
 */
const FIXED_WRITE_RATE = 500;
/** The open-loop scenarios: which requests, at what rate. */
const FIXED_RATE_OF = {
  rate: { of: "list", rate: FIXED_RATE },
  createRate: { of: "create", rate: FIXED_WRITE_RATE },
};
/** Paired short runs (comparePairs): auth off, API tokens, and issue 14 against the naive server. */
const PAIRS = 8;
const PAIR_SECONDS = 3;
/** Issue 3: the BFF list p99 at this arrival rate. */
const BFF_RATE = 200;
/** Whole sign-ins per flow in a smoke run. */
const SMOKE_SIGN_INS = 6;
/**
 * Sign-ins in flight at once (issue 16). What is measured is how many sign-ins the API can
 * complete, which the one hashing thread decides while sign-ins are queued for it. A sign-in with
 * TOTP spends longer outside the queue (a second request, more statements), and on a busy machine
 * each of those waits for a core: with 10 in flight the queue ran dry and the closed loop measured
 * its own latency instead. Three times the connections keep it full for both flows.
 */
const SIGN_IN_CONNECTIONS = 3 * CONNECTIONS;
/**
 * Sign-in throughput swung by 2× between runs a minute apart on the shared machine (others' tests
 * on its 2 cores), more than the rounds resolve: short pairs of runs decide the target, as for
 * auth off.
 */
const SIGN_IN_PAIRS = 8;
const SIGN_IN_PAIR_SECONDS = 4;

const log = (message) => console.error(`[bench] ${message}`);

const warmupSeconds = () => Math.min(3, Math.max(1, DURATION / 5));
/** Which server and scenario had their first, long warm-up (FIRST_WARMUP_SECONDS). */
const warmedUp = new Set();

/**
 * Measured run, preceded (outside smoke runs) by an unrecorded warm-up of the same requests: the
 * first time `warmUpKey` (server and scenario) runs, long enough to reach steady state.
 */
async function measure(url, requests, { rate, pid, database, connections = CONNECTIONS, warmUpKey } = {}) {
  const run = { url, requests, connections, pid, database, ...(rate ? { overallRate: rate } : {}) };
  // Smoke runs (CI) only prove that every path still works: a handful of requests each.
  if (SMOKE) return load({ ...run, connections: 2, amount: 20 });
  const first = warmUpKey !== undefined && !warmedUp.has(warmUpKey);
  if (first) warmedUp.add(warmUpKey);
  await load({ ...run, duration: first ? FIRST_WARMUP_SECONDS : warmupSeconds() });
  return load({ ...run, duration: DURATION });
}

async function benchDatabase(kind, builds) {
  log(
    `${kind}: fresh database (load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")})`,
  );
  const database = kind === "postgres" ? await freshPostgres() : freshPglite();
  const databaseCpu = kind === "postgres" ? await openDatabaseCpu() : null;
  const figures = { kind, runs: {}, notes: [], loadAverage: loadavg()[0] };
  /** The highest of the RSS peaks sampled for one figure across rounds. */
  const keepPeak = (key, peak) => {
    figures[key] = Math.max(figures[key] ?? 0, peak ?? 0);
  };
  const samples = {};
  const record = (scenario, target, result) => {
    const p = (value) => (value === null ? "–" : value.toFixed(2));
    log(
      `${kind} ${scenario} ${target}: ${result.rps.toFixed(0)} req/s, p50 ${p(result.p50)} ms, p99 ${p(result.p99)} ms` +
        (result.clientCpuUs == null
          ? ""
          : `; CPU µs per sign-in: API ${result.cpuUs?.toFixed(0)} (event loop ${result.mainCpuUs?.toFixed(0)}), ` +
            `DB ${result.dbCpuUs?.toFixed(0) ?? "–"}, load generator ${result.clientCpuUs.toFixed(0)}`),
    );
    if (result.failed > 0) figures.notes.push(`${scenario} on ${target}: ${result.failed} failed requests`);
    samples[scenario] ??= {};
    samples[scenario][target] ??= [];
    samples[scenario][target].push(result);
  };
  const processes = [];
  const start = async (spec) => {
    const proc = await startProcess(spec);
    processes.push(proc);
    return proc;
  };
  const stop = async (proc) => {
    await stopProcess(proc);
    processes.splice(processes.indexOf(proc), 1);
  };
  try {
    const ports = {
      api: await freePort(),
      authOff: await freePort(),
      baseline: await freePort(),
      naive: await freePort(),
      second: await freePort(),
    };
    // The API-token list is the API's own list with another credential.
    const url = (target) => `http://127.0.0.1:${ports[target === "apiToken" ? "api" : target]}`;
    const profiling = options["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${join(root, "bench", "profiles")}`] : [];
    const apiSpec = {
      name: "api",
      args: [...API_NODE_FLAGS, ...profiling, builds.api],
      env: apiEnv(database.env, ports.api),
      cwd: root,
      port: ports.api,
    };

    // First start on an empty database (migrations, key generation), seeding, then a restart.
    let api = await start(apiSpec);
    figures.startupFirstMs = api.startupMs;
    figures.startupFirstCpuMs = api.startupCpuMs;
    log(`${kind}: API ready in ${api.startupMs.toFixed(0)} ms (first start)`);
    const fixture = await seed(url("api"), {
      ...(SMOKE
        ? { readers: 1, writers: 1, todosPerUser: 50, manyWriters: SCENARIOS.has("crowd") ? 3 : 0 }
        : { readers: 4, writers: 4, todosPerUser: 50, manyWriters: SCENARIOS.has("crowd") ? CROWD : 0 }),
      apiTokens: SCENARIOS.has("tokenList"),
    });
    if (SCENARIOS.has("shared")) {
      fixture.shared = await seedSharing(url("api"), {
        owners: SMOKE ? 2 : SHARED_LISTS,
        members: SMOKE ? 1 : SHARED_MEMBERS,
        todosPerList: 50,
        async verify(emails) {
          if (kind === "postgres") return markVerified(database.env, emails);
          await stop(api);
          await markVerified(database.env, emails);
          api = await start(apiSpec);
        },
      });
    }
    await stop(api);
    // The naive baseline's own database: the seeded data without our triggers (issue 14).
    const naiveDatabase = kind === "postgres" ? await database.copyWithoutTriggers() : null;

    // PGlite is single-process: the auth-off build and the baseline each get a copy of the seeded
    // data directory, so that all three can run side by side and their runs can be interleaved.
    const envFor = (target) => {
      if (kind !== "pglite") return database.env;
      const dir = `${database.env.DATA_DIR}-${target}`;
      cpSync(database.env.DATA_DIR, dir, { recursive: true });
      database.extraDirs.push(dir);
      return { DATA_DIR: dir };
    };
    const authOffEnv = envFor("auth-off");
    const baselineEnv = envFor("baseline");
    api = await start(apiSpec);
    figures.startupRestartMs = api.startupMs;
    figures.startupRestartCpuMs = api.startupCpuMs;
    log(`${kind}: API ready in ${api.startupMs.toFixed(0)} ms (restart)`);
    const [authOff, baseline, naive] = await Promise.all([
      SCENARIOS.has("authOff")
        ? start({
            name: "api-auth-off",
            args: [...API_NODE_FLAGS, builds.apiAuthOff],
            env: apiEnv(authOffEnv, ports.authOff),
            cwd: root,
            port: ports.authOff,
          })
        : null,
      start({
        name: "baseline",
        args: [builds.baseline],
        env: {
          ...apiEnv(baselineEnv, ports.baseline),
          BASELINE_PORT: String(ports.baseline),
          DATABASE_POOL_SIZE: String(POOL_SIZE),
        },
        cwd: root,
        port: ports.baseline,
      }),
      naiveDatabase
        ? start({
            name: "naive",
            args: [join(root, "bench", "naive-server.mjs")],
            env: { ...apiEnv(naiveDatabase.env, ports.naive), BASELINE_PORT: String(ports.naive) },
            cwd: root,
            port: ports.naive,
          })
        : null,
    ]);
    const targets = { api, authOff, baseline, naive };
    // The backends whose CPU a target's requests cost. The API, the auth-off build and the
    // baseline share one database, but only the one being measured is busy.
    const databaseOf = (target) =>
      databaseCpu ? { cpu: databaseCpu, names: [target === "naive" ? naiveDatabase.name : database.name] } : undefined;
    await checkSameList(url, fixture.listUsers[0], [
      ...Object.keys(targets).filter((target) => targets[target]),
      // The token's list must be the JWT's, byte for byte (a 401 or 403 stops the run here).
      ...(SCENARIOS.has("tokenList") ? ["apiToken"] : []),
    ]);

    // Issue 16: password-only sign-ins of the seeded users against sign-ins with TOTP of accounts
    // enrolled as the runs need them (bench/sign-ins.mjs), in the rounds (password first in odd
    // rounds, TOTP first in even ones) and then in short ABBA pairs, as for auth off.
    const totpPool = SCENARIOS.has("totpSignin") ? totpAccounts(url("api")) : null;
    const passwordUsers = [...fixture.listUsers, ...fixture.writeUsers, fixture.floodUser];
    const signIns = { fastest: 0, starved: 0 };
    /** One run of one flow; `seconds` of warm-up first when given. */
    const signInRun = async (target, { duration, warmup = 0, pid, database }) => {
      if (target === "totp") {
        // Twice the sign-ins the fastest run so far managed, and one more per connection: the
        // machine's speed changes from one minute to the next.
        const uses = SMOKE
          ? SMOKE_SIGN_INS + 2
          : Math.ceil(signIns.fastest * (duration + warmup) * 2) + SIGN_IN_CONNECTIONS;
        const before = totpPool.size;
        await totpPool.ensure(uses);
        if (totpPool.size > before) log(`${kind}: ${totpPool.size - before} more TOTP accounts (${totpPool.size})`);
      }
      const run = {
        signIn:
          target === "totp" ? totpSignIn(url("api"), totpPool, signIns) : passwordSignIn(url("api"), passwordUsers),
        connections: SMOKE ? 2 : SIGN_IN_CONNECTIONS,
        pid,
        database,
      };
      if (warmup) await loadSignIns({ ...run, duration: warmup, pid: undefined, database: undefined });
      const result = await loadSignIns(SMOKE ? { ...run, amount: SMOKE_SIGN_INS } : { ...run, duration });
      signIns.fastest = Math.max(signIns.fastest, result.rps);
      if (result.failed > 0) figures.notes.push(`${target} sign-ins failed: ${result.errors.join("; ")}`);
      // The smoke run is what proves the flow still signs in: a failure there fails it.
      if (SMOKE && (result.failed > 0 || result.ok === 0)) {
        throw new Error(`${target} sign-ins failed in the smoke run: ${result.errors.join("; ")}`);
      }
      return result;
    };
    const benchSignIns = async (round, { pid, database }) => {
      for (const target of round % 2 === 1 ? ["password", "totp"] : ["totp", "password"]) {
        const result = await signInRun(target, {
          duration: DURATION,
          warmup: SMOKE ? 0 : warmupSeconds(),
          pid,
          database,
        });
        record("totpSignin", target, result);
      }
    };
    /** Short runs one directly after the other, alternating which goes first: TOTP ÷ password. */
    const signInPairs = async () => {
      const ratios = [];
      for (let pair = 0; pair < SIGN_IN_PAIRS; pair++) {
        const rps = {};
        for (const target of pair % 2 === 0 ? ["password", "totp"] : ["totp", "password"]) {
          rps[target] = (await signInRun(target, { duration: SIGN_IN_PAIR_SECONDS })).rps;
        }
        ratios.push(rps.totp / rps.password);
      }
      log(`totp vs password sign-ins, ${SIGN_IN_PAIRS} pairs: ${ratios.map((ratio) => ratio.toFixed(3)).join(", ")}`);
      return ratios;
    };

    // Rounds of interleaved runs (API, then the others, scenario by scenario), so that whatever
    // else the machine does at a given moment weighs on both sides of each ratio alike.
    for (let round = 1; round <= ROUNDS; round++) {
      if (ROUNDS > 1) log(`${kind}: round ${round} of ${ROUNDS}`);
      for (const scenario of ["list", "create", "solo", "crowd", "toggle", "mixed", "rate", "createRate"]) {
        if (!SCENARIOS.has(scenario) && scenario !== "list") continue;
        const scenarioTargets =
          scenario === "list" ? ["api", "authOff", "baseline", "naive"] : ["api", "baseline", "naive"];
        for (const target of scenarioTargets) {
          if (!targets[target]) continue;
          const requests = requestsFor(FIXED_RATE_OF[scenario]?.of ?? scenario, target, fixture);
          const stopSampling =
            target !== "authOff" && scenario === "list" ? sampleRss(targets[target].child.pid) : null;
          record(
            scenario,
            target,
            await measure(url(target), requests, {
              rate: FIXED_RATE_OF[scenario]?.rate ?? 0,
              pid: targets[target].child.pid,
              database: databaseOf(target),
              connections: scenario === "crowd" ? CROWD : CONNECTIONS,
              warmUpKey: `${kind} ${target} ${scenario}`,
            }),
          );
          if (stopSampling) keepPeak(target === "api" ? "rssPeakMb" : "baselineRssPeakMb", stopSampling());
        }
      }
      if (SCENARIOS.has("shared")) {
        for (const scenario of SHARED_RUNS) {
          record(
            scenario,
            "api",
            await measure(url("api"), requestsFor(scenario, "api", fixture), {
              pid: api.child.pid,
              database: databaseOf("api"),
            }),
          );
        }
      }
      if (SCENARIOS.has("tokenList")) {
        // Issue 17: one process, the same users and lists; only the credential differs. Which goes
        // first alternates by round.
        for (const target of round % 2 === 1 ? ["jwt", "apiToken"] : ["apiToken", "jwt"]) {
          record(
            "tokenList",
            target,
            await measure(url("api"), requestsFor("list", target === "jwt" ? "api" : "apiToken", fixture), {
              pid: api.child.pid,
              database: databaseOf("api"),
            }),
          );
        }
      }
      if (totpPool) {
        const threadsBefore = threadCount(api.child.pid);
        await benchSignIns(round, { pid: api.child.pid, database: databaseOf("api") });
        // As after the flood: the next round's list runs once the hashing thread has stopped.
        if (!SCENARIOS.has("flood") && !SMOKE && round < ROUNDS) await threadsSettled(api.child.pid, threadsBefore);
      }
      if (SCENARIOS.has("flood")) {
        // Sign-ins keep the Argon2 queue full while the list runs alongside; compared with the
        // idle list of the same round.
        const flood = load({
          url: url("api"),
          requests: requestsFor("signin", "api", fixture),
          connections: 4,
          ...(SMOKE ? { amount: 4 } : { duration: DURATION + warmupSeconds() }),
        });
        const threadsBefore = threadCount(api.child.pid);
        const stopSampling = sampleRss(api.child.pid);
        record(
          "flood",
          "api",
          await measure(url("api"), requestsFor("list", "api", fixture), {
            pid: api.child.pid,
            database: databaseOf("api"),
          }),
        );
        const signins = await flood;
        keepPeak("floodRssPeakMb", stopSampling());
        figures.signinsPerSecond = signins.rps;
        if (signins.failed > 0) figures.notes.push(`sign-in flood: ${signins.failed} failed sign-ins`);
        // The next round's list runs once the hashing thread has stopped for want of work, as it
        // does in service: it measures the list load, not the flood's aftermath (reported above).
        // Seen from outside, as an operator would: the process's thread count falls back.
        if (!SMOKE && round < ROUNDS) await threadsSettled(api.child.pid, threadsBefore);
      }
    }
    if (authOff && !SMOKE) figures.authOffPairs = await comparePairs(url, fixture, ["api", "authOff"]);
    // Issue 14: the throughput targets against the naive server, in the same short ABBA pairs: one
    // bundle run twice side by side (compare.mjs, 6 rounds) gave medians 18 % apart on this machine,
    // more than the rounds resolve.
    if (naive && !SMOKE) {
      figures.naivePairs = {};
      for (const scenario of ["list", "create", "solo", "crowd"].filter((name) => SCENARIOS.has(name))) {
        figures.naivePairs[scenario] = await comparePairs(url, fixture, ["naive", "api"], {
          scenario,
          connections: scenario === "crowd" ? CROWD : CONNECTIONS,
        });
      }
    }
    // Issue 17: a difference of a few per cent, as for auth off, in the same short ABBA pairs.
    if (SCENARIOS.has("tokenList") && !SMOKE)
      figures.tokenPairs = await comparePairs(url, fixture, ["api", "apiToken"]);
    if (totpPool && !SMOKE) figures.signInPairs = await signInPairs();
    if (totpPool) figures.totpAccounts = totpPool.size;
    if (signIns.starved > 0) {
      figures.notes.push(`TOTP sign-ins waited ${signIns.starved} times for a new time step (too few accounts)`);
    }
    if (SCENARIOS.has("scaleOut") && kind === "postgres") {
      const second = await start({
        ...apiSpec,
        name: "api-2",
        env: apiEnv(database.env, ports.second),
        port: ports.second,
      });
      figures.scaleOut = await compareScaleOut(
        [url("api"), `http://127.0.0.1:${ports.second}`],
        [api.child.pid, second.child.pid],
        fixture,
        databaseOf("api"),
      );
      await stop(second);
    }
    if (SCENARIOS.has("bff")) await benchBff(url("api"), fixture, record, figures);
    for (const target of Object.values(targets).filter(Boolean)) await stop(target);

    // The median run (by throughput) of each scenario and target stands for it; ratios are the
    // median of each round's ratio, runs of one round being minutes apart at most.
    const median = (values) => [...values].sort((x, y) => x - y)[Math.floor((values.length - 1) / 2)];
    const paired = (runs, bases) =>
      runs && bases && runs.length === bases.length ? median(runs.map((run, i) => run.rps / bases[i].rps)) : null;
    figures.ratios = {};
    for (const [scenario, byTarget] of Object.entries(samples)) {
      figures.runs[scenario] = {};
      figures.ratios[scenario] = {};
      for (const [target, list] of Object.entries(byTarget)) {
        const sorted = [...list].sort((x, y) => x.rps - y.rps);
        figures.runs[scenario][target] = sorted[Math.floor((sorted.length - 1) / 2)];
        figures.ratios[scenario][target] = paired(list, samples[scenario].baseline);
      }
    }
    if (samples.flood) figures.ratios.flood.idle = paired(samples.flood.api, samples.list.api);
    if (samples.list.authOff) figures.ratios.list.authOffVsApi = paired(samples.list.authOff, samples.list.api);
    // Issue 14: each scenario against the naive baseline of the same round.
    for (const [scenario, byTarget] of Object.entries(samples)) {
      if (byTarget.naive) figures.ratios[scenario].apiVsNaive = paired(byTarget.api, byTarget.naive);
      if (figures.naivePairs?.[scenario])
        figures.ratios[scenario].apiVsNaivePaired = median(figures.naivePairs[scenario]);
    }
    if (figures.authOffPairs) figures.ratios.list.authOffPaired = median(figures.authOffPairs);
    if (samples.sharedOwnList) {
      const api = (scenario) => samples[scenario].api;
      figures.ratios.shared = {
        memberList: paired(api("sharedMemberList"), api("sharedOwnList")),
        memberAll: paired(api("sharedMemberAll"), api("sharedOwnAll")),
        memberAllVsOwnList: paired(api("sharedMemberAll"), api("sharedOwnList")),
      };
    }
    if (samples.tokenList) {
      figures.ratios.tokenList.apiTokenVsJwt = paired(samples.tokenList.apiToken, samples.tokenList.jwt);
      if (figures.tokenPairs) figures.ratios.tokenList.apiTokenPaired = median(figures.tokenPairs);
    }
    if (samples.totpSignin) {
      figures.ratios.totpSignin.totpVsPassword = paired(samples.totpSignin.totp, samples.totpSignin.password);
      if (figures.signInPairs) figures.ratios.totpSignin.totpPaired = median(figures.signInPairs);
    }
  } catch (error) {
    for (const proc of processes) log(`output of ${proc.name}:\n${proc.output()}`);
    throw error;
  } finally {
    for (const proc of [...processes]) await stopProcess(proc);
    await databaseCpu?.close();
    await database.drop();
  }
  return figures;
}

/**
 * The baseline stands for the API only while both answer alike: the list of one user must be the
 * same bytes from every target (same SQL, same JSON), or the run stops.
 */
async function checkSameList(url, user, targets) {
  const bodies = await Promise.all(
    targets.map(async (target) => {
      const { method, path, setupRequest } = requestsFor("list", target, { listUsers: [user], writeUsers: [] })[0];
      const response = await fetch(`${url(target)}${path}`, { method, headers: setupRequest({}).headers });
      return { target, status: response.status, body: await response.text() };
    }),
  );
  for (const answer of bodies.slice(1)) {
    if (answer.status !== 200 || answer.body !== bodies[0].body) {
      throw new Error(
        `the ${answer.target} list differs from the ${bodies[0].target} list:\n${answer.body.slice(0, 500)}\n${bodies[0].body.slice(0, 500)}`,
      );
    }
  }
}

/**
 * The cost of authentication is a question of a few per cent, finer than the rounds resolve: in
 * them the API's list always runs first, after the flood's pause, and two processes of one build
 * differed by 7–27 % in alternating runs on this machine. So the two builds are also compared in
 * short list runs, one directly after the other, alternating which goes first (ABBA); the median of
 * the pairs' ratios is the figure for the target. The API-token list against the JWT list (issue 17)
 * is measured the same way. Ratios are second ÷ first.
 */
async function comparePairs(url, fixture, [first, second], { scenario = "list", connections = CONNECTIONS } = {}) {
  const ratios = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    const order = pair % 2 === 0 ? [first, second] : [second, first];
    const rps = {};
    for (const target of order) {
      const run = await load({
        url: url(target),
        requests: requestsFor(scenario, target, fixture),
        connections,
        duration: PAIR_SECONDS,
      });
      rps[target] = run.rps;
    }
    ratios.push(rps[second] / rps[first]);
  }
  log(`${scenario}: ${second} vs ${first}, ${PAIRS} pairs: ${ratios.map((ratio) => ratio.toFixed(3)).join(", ")}`);
  return ratios;
}

/**
 * Scale-out (issue 14): the mixed load on one API instance, then split over two instances sharing
 * the database, with the same connections in all; what each costs the database per request. On
 * two shared cores a second instance cannot add throughput: the figure to read is the database's
 * CPU per request, which decides how far instances can be added on a bigger machine.
 */
async function compareScaleOut(urls, pids, fixture, database) {
  const total = 2 * CONNECTIONS;
  const runOn = async (bases) => {
    if (!SMOKE) {
      await Promise.all(
        bases.map((base) =>
          load({
            url: base,
            requests: requestsFor("mixed", "api", fixture),
            connections: total / bases.length,
            duration: warmupSeconds(),
          }),
        ),
      );
    }
    const cpuBefore = pids.map(cpuSeconds);
    const databaseBefore = database ? await database.cpu.sample(database.names) : null;
    const runs = await Promise.all(
      bases.map((base) =>
        load({
          url: base,
          requests: requestsFor("mixed", "api", fixture),
          connections: total / bases.length,
          ...(SMOKE ? { amount: 20 } : { duration: DURATION }),
        }),
      ),
    );
    const databaseSeconds = database ? await database.cpu.since(database.names, databaseBefore) : null;
    const apiSeconds = pids.reduce((sum, pid, i) => sum + (cpuSeconds(pid) - cpuBefore[i]), 0);
    const served = runs.reduce((sum, run) => sum + run.ok, 0);
    return {
      instances: bases.length,
      rps: runs.reduce((sum, run) => sum + run.rps, 0),
      p99: Math.max(...runs.map((run) => run.p99 ?? 0)),
      cpuUs: served > 0 ? (apiSeconds * 1e6) / served : null,
      dbCpuUs: databaseSeconds !== null && served > 0 ? (databaseSeconds * 1e6) / served : null,
    };
  };
  const one = await runOn(urls.slice(0, 1));
  const two = await runOn(urls);
  log(`scale-out: one instance ${one.rps.toFixed(0)} req/s, two ${two.rps.toFixed(0)} req/s`);
  return [one, two];
}

/** Scenario 6: the list through the web app's BFF, when the web app has been built. */
async function benchBff(apiUrl, fixture, record, figures) {
  const webDir = join(root, "apps", "web");
  const built =
    existsSync(join(webDir, ".next", "BUILD_ID")) &&
    existsSync(join(webDir, ".next", "server", "app", "api", "todos", "route.js"));
  if (!built) {
    figures.notes.push(
      "BFF list skipped: apps/web has no production build with /api/todos (run npm run build -w @taskvault/web)",
    );
    return;
  }
  const port = await freePort();
  const env = { ...process.env, NODE_ENV: "production", API_URL: apiUrl, PORT: String(port), HOST: "127.0.0.1" };
  let web;
  try {
    web = await startProcess({
      name: "web",
      // As `npm start` runs it: server.mjs, which answers the list reads before Next's router.
      args: [...WEB_NODE_FLAGS, join(webDir, "server.mjs")],
      env,
      cwd: webDir,
      port,
      readyPath: "/api/todos",
      readyHeaders: { cookie: `tv_at=${fixture.listUsers[0].token}` },
    });
    figures.webStartupMs = web.startupMs;
    const bffUrl = `http://127.0.0.1:${port}`;
    record("list", "bff", await measure(bffUrl, requestsFor("list", "bff", fixture)));
    record("bffRate", "bff", await measure(bffUrl, requestsFor("list", "bff", fixture), { rate: BFF_RATE }));
  } catch (error) {
    figures.notes.push(`BFF list skipped: the web app did not start (${String(error.message).split("\n")[0]})`);
  } finally {
    await stopProcess(web);
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const began = performance.now();
  const wanted = options.db === "both" ? ["postgres", "pglite"] : [options.db];
  const databases = [];
  const skipped = [];
  for (const kind of wanted) {
    if (kind !== "postgres" && kind !== "pglite") throw new Error(`--db must be pglite, postgres or both, not ${kind}`);
    if (kind === "postgres") {
      const configured = Boolean(
        process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || process.env.DATABASE_URL,
      );
      // Smoke runs (CI) use PostgreSQL only when one is configured; full runs try the local default.
      if ((SMOKE && !configured) || !(await postgresReachable())) {
        skipped.push(`PostgreSQL skipped: no server at ${new URL(adminUrl).host}${SMOKE ? " configured" : ""}`);
        continue;
      }
    }
    databases.push(kind);
  }
  log(`building the API (${SMOKE ? "smoke run" : `${DURATION} s per run, ${CONNECTIONS} connections`})`);
  const builds = await buildApi();
  const results = [];
  for (const kind of databases) results.push(await benchDatabase(kind, builds));

  const report = renderReport({
    results,
    skipped,
    meta: {
      date: new Date().toISOString(),
      smoke: SMOKE,
      commit: git("rev-parse --short HEAD"),
      dirty: git("status --porcelain -- apps/api/src packages bench") !== "",
      node: process.version,
      cpu: `${cpus()[0]?.model ?? "unknown"} × ${cpus().length}`,
      duration: SMOKE ? "smoke (fixed request counts)" : `${DURATION} s (after a warm-up)`,
      connections: CONNECTIONS,
      rounds: ROUNDS,
      fixedRate: FIXED_RATE,
      fixedWriteRate: FIXED_WRITE_RATE,
      elapsedS: (performance.now() - began) / 1000,
    },
  });
  console.log(report);
  if (!SMOKE || options.out) {
    const file = options.out ?? join(root, "bench", "results", `${new Date().toISOString().slice(0, 10)}.md`);
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, report);
    log(`written to ${file}`);
  }
  log(`done in ${((performance.now() - began) / 1000).toFixed(1)} s`);
}

function git(args) {
  try {
    return execSync(`git ${args}`, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return "";
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
