// Sign-up latency with and without SMTP (issue 15, decision 019): mail goes through the outbox, so
// a sign-up's answer must not wait for SMTP. Two built APIs run side by side in one run, one with
// SMTP_URL set to a local sink (a real SMTP server in this process, which its sender talks to in the
// background) and one without; sequential sign-ups are timed in ABBA order, and the p50s compared
// (target: within 10 %).
//
//   node bench/signup-smtp.mjs                 # embedded database, 4 rounds of 25 sign-ups each
//   node bench/signup-smtp.mjs --db postgres --rounds 6 --per-round 30
//   node bench/signup-smtp.mjs --smoke         # a few sign-ups: proves the script works
import { execFileSync, spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SMTPServer } from "smtp-server";
import { API_NODE_FLAGS } from "../apps/api/node-flags.mjs";
import { apiEnv, freshPglite, freshPostgres, PASSWORD } from "./fixtures.mjs";
import { freePort, startProcess, stopProcess } from "./processes.mjs";

const ROOT = join(import.meta.dirname, "..");
const API_ROOT = join(ROOT, "apps", "api");
const TARGET_RATIO = 1.1;

const { values: options } = parseArgs({
  options: {
    db: { type: "string", default: "pglite" },
    rounds: { type: "string", default: "4" },
    "per-round": { type: "string", default: "25" },
    smoke: { type: "boolean", default: false },
    sink: { type: "boolean", default: false },
  },
});
const rounds = options.smoke ? 1 : Number(options.rounds);
const perRound = options.smoke ? 3 : Number(options["per-round"]);

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * A sink that accepts every message (and counts them), in a process of its own so that receiving
 * mail does not slow the client that times the sign-ups.
 */
async function startSink() {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "--sink"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  const port = await new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = /listening (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once("exit", () => reject(new Error("the SMTP sink exited")));
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    received: () => Number(/received (\d+)(?![\s\S]*received)/.exec(output)?.[1] ?? 0),
    close: () => child.kill(),
  };
}

/** The sink process: prints its port, then its count after each message. */
function runSink() {
  let received = 0;
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      stream.on("end", () => {
        received++;
        process.stdout.write(`received ${received}\n`);
        callback();
      });
      stream.resume();
    },
  });
  server.listen(0, "127.0.0.1", () => process.stdout.write(`listening ${server.server.address().port}\n`));
}

async function startApi(name, extraEnv) {
  const database = options.db === "postgres" ? await freshPostgres() : freshPglite();
  const port = await freePort();
  const proc = await startProcess({
    name,
    args: [...API_NODE_FLAGS, join(API_ROOT, "dist", "server.js")],
    cwd: API_ROOT,
    env: { ...apiEnv(database.env, port), ...extraEnv },
    port,
  });
  return { proc, database, base: `http://127.0.0.1:${port}` };
}

let counter = 0;
async function signUps(base, count) {
  const latencies = [];
  for (let i = 0; i < count; i++) {
    const email = `bench-${process.pid}-${counter++}@example.com`;
    const started = performance.now();
    const response = await fetch(`${base}/api/v1/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    await response.arrayBuffer();
    latencies.push(performance.now() - started);
    if (response.status !== 201) throw new Error(`sign-up answered ${response.status}`);
  }
  return latencies;
}

async function main() {
  execFileSync(process.execPath, ["build.mjs"], { cwd: API_ROOT, stdio: "inherit" });
  const sink = await startSink();
  const without = await startApi("api without SMTP", {});
  const withSmtp = await startApi("api with SMTP", { SMTP_URL: sink.url });
  try {
    await signUps(without.base, 5);
    await signUps(withSmtp.base, 5);
    const samples = { without: [], with: [] };
    for (let round = 0; round < rounds; round++) {
      // ABBA, so drift over the run weighs on both alike.
      const order = round % 2 === 0 ? ["without", "with"] : ["with", "without"];
      for (const which of order) {
        const api = which === "with" ? withSmtp : without;
        samples[which].push(...(await signUps(api.base, perRound)));
      }
    }
    const p50Without = percentile(samples.without, 50);
    const p50With = percentile(samples.with, 50);
    const ratio = p50With / p50Without;
    console.log(`\nSign-up latency, ${options.db}, ${samples.with.length} sign-ups each (sequential, ABBA rounds)`);
    console.log("| SMTP_URL | p50 ms | p90 ms |");
    console.log("|---|---:|---:|");
    console.log(`| unset | ${p50Without.toFixed(1)} | ${percentile(samples.without, 90).toFixed(1)} |`);
    console.log(`| local sink | ${p50With.toFixed(1)} | ${percentile(samples.with, 90).toFixed(1)} |`);
    console.log(
      `\nratio with/without p50: ${ratio.toFixed(3)} (target ≤ ${TARGET_RATIO}); messages the sink received: ${sink.received()}`,
    );
    if (!options.smoke && ratio > TARGET_RATIO) process.exitCode = 1;
  } finally {
    for (const api of [without, withSmtp]) {
      await stopProcess(api.proc);
      await api.database.drop();
    }
    sink.close();
  }
}

if (options.sink) runSink();
else await main();
