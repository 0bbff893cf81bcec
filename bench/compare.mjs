// node bench/compare.mjs [--db postgres|pglite] [--duration 5] [--rounds 3] [--scenarios list,create,toggle]
//   (also sharedOwnList, sharedMemberList, sharedOwnAll, sharedMemberAll, sharedCreate: scenarios.mjs, PostgreSQL)
//   (and createRate: creates at a fixed 500 req/s, as run.mjs judges a create's database CPU)
//   [--own-databases] BEFORE.js AFTER.js …
// Before/after figures for a change: API bundles (e.g. copies of apps/api/dist/server.js built
// before and after it) run side by side on one seeded database and are measured in interleaved
// rounds, so background load on the machine hits every bundle alike. Prints median req/s and p99.
// A change to the database itself (a migration: triggers, indexes) needs --own-databases on
// PostgreSQL: the database is seeded by the first bundle, and every other bundle runs on a copy of it
// that it migrates at start-up, so each bundle meets its own schema with the same data.
import { cpSync } from "node:fs";
import { basename, dirname } from "node:path";
import { parseArgs } from "node:util";
import { API_NODE_FLAGS } from "../apps/api/node-flags.mjs";
import { openDatabaseCpu } from "./database-cpu.mjs";
import { apiEnv, freshPglite, freshPostgres, markVerified, seed, seedSharing } from "./fixtures.mjs";
import { FIRST_WARMUP_SECONDS, load } from "./load.mjs";
import { freePort, startProcess, stopProcess } from "./processes.mjs";
import { requestsFor } from "./scenarios.mjs";

const { values: options, positionals: bundles } = parseArgs({
  allowPositionals: true,
  options: {
    db: { type: "string", default: "postgres" },
    duration: { type: "string", default: "5" },
    rounds: { type: "string", default: "3" },
    connections: { type: "string", default: "10" },
    scenarios: { type: "string", default: "list,create,toggle" },
    "own-databases": { type: "boolean", default: false },
  },
});
const duration = Number(options.duration);
/** As run.mjs's FIXED_RATE_OF: the open-loop scenarios, which requests at what rate. */
const FIXED_RATE_OF = { createRate: { of: "create", rate: 500 } };
const scenarios = options.scenarios.split(",");
const database = options.db === "postgres" ? await freshPostgres() : freshPglite();
const processes = [];
const samples = new Map();
// The bundles share one database, but only the one being measured is busy.
const databaseCpu = options.db === "postgres" ? await openDatabaseCpu() : null;
try {
  const port = await freePort();
  const first = await startProcess({
    name: "seed",
    args: [...API_NODE_FLAGS, bundles[0]],
    env: apiEnv(database.env, port),
    port,
  });
  const fixture = await seed(`http://127.0.0.1:${port}`, { readers: 4, writers: 4, todosPerUser: 50 });
  if (scenarios.some((scenario) => scenario.startsWith("shared"))) {
    // As run.mjs seeds the shared scenario (PostgreSQL: the seeding API keeps running meanwhile).
    if (options.db !== "postgres") throw new Error("the shared scenarios compare on PostgreSQL only");
    fixture.shared = await seedSharing(`http://127.0.0.1:${port}`, {
      owners: 10,
      members: 4,
      todosPerList: 50,
      verify: (emails) => markVerified(database.env, emails),
    });
  }
  await stopProcess(first);
  // Copies are taken before any bundle connects to the seeded database.
  const copies = [];
  for (const index of bundles.keys()) {
    const own = options.db === "postgres" && options["own-databases"] && index > 0;
    copies.push(own ? await database.copy(`bundle${index}`) : database);
  }
  const servers = [];
  for (const [index, bundle] of bundles.entries()) {
    let { env: dbEnv, name: dbName } = copies[index];
    if (options.db === "pglite") {
      dbEnv = { DATA_DIR: `${database.env.DATA_DIR}-${index}` };
      cpSync(database.env.DATA_DIR, dbEnv.DATA_DIR, { recursive: true });
      database.extraDirs.push(dbEnv.DATA_DIR);
    }
    const serverPort = await freePort();
    const name = `${basename(dirname(bundle))}/${basename(bundle)}`;
    const proc = await startProcess({
      name,
      args: [...API_NODE_FLAGS, bundle],
      env: apiEnv(dbEnv, serverPort),
      port: serverPort,
    });
    processes.push(proc);
    servers.push({ ...proc, dbName });
  }
  for (let round = 1; round <= Number(options.rounds); round++) {
    for (const scenario of scenarios) {
      // ABBA: each bundle goes first every other round, so a load that builds up or eases off
      // during a round favours none of them.
      for (const server of round % 2 ? servers : [...servers].reverse()) {
        const run = {
          url: `http://127.0.0.1:${server.port}`,
          requests: requestsFor(FIXED_RATE_OF[scenario]?.of ?? scenario, "api", fixture),
          connections: Number(options.connections),
          pid: server.child.pid,
          database: databaseCpu ? { cpu: databaseCpu, names: [server.dbName] } : undefined,
          ...(FIXED_RATE_OF[scenario] ? { overallRate: FIXED_RATE_OF[scenario].rate } : {}),
        };
        // As run.mjs: the first run of each bundle on each scenario warms it to steady state.
        const key = `${scenario}\t${server.name}`;
        await load({ ...run, duration: samples.has(key) ? 1 : FIRST_WARMUP_SECONDS });
        const result = await load({ ...run, duration });
        samples.set(key, [...(samples.get(key) ?? []), result]);
        console.error(
          `round ${round} ${scenario} ${server.name}: ${result.rps.toFixed(0)} req/s, p99 ${result.p99?.toFixed(2)} ms, ${result.cpuUs?.toFixed(0)} µs CPU/req, ${result.dbCpuUs?.toFixed(0) ?? "–"} µs DB CPU/req`,
        );
      }
    }
  }
} finally {
  for (const proc of processes) await stopProcess(proc);
  await databaseCpu?.close();
  await database.drop();
}
console.log(
  "| scenario | build | median req/s | its p99 ms | best req/s | median CPU µs/req | median DB CPU µs/req | all runs req/s |\n|---|---|---:|---:|---:|---:|---:|---|",
);
for (const [key, runs] of samples) {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  const medianOf = (values) => values.sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]?.toFixed(0) ?? "–";
  const [scenario, name] = key.split("\t");
  console.log(
    `| ${scenario} | ${name} | ${median.rps.toFixed(0)} | ${median.p99.toFixed(2)} | ${sorted.at(-1).rps.toFixed(0)} | ${medianOf(runs.map((run) => run.cpuUs))} | ${medianOf(runs.filter((run) => run.dbCpuUs !== null).map((run) => run.dbCpuUs))} | ${runs.map((run) => run.rps.toFixed(0)).join(", ")} |`,
  );
}
process.exit(0);
