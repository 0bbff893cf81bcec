// One load run, with latencies kept at full (sub-millisecond) precision: autocannon (closed loop)
// for throughput, our own open-loop generator for a fixed arrival rate.
import autocannon from "autocannon";
import { openLoop } from "./open-loop.mjs";
import { cpuSeconds } from "./processes.mjs";

/**
 * The first warm-up of a server on a scenario (run.mjs, compare.mjs). A JIT-compiled server reaches
 * its steady cost per request only after thousands of requests down the same path: the API's
 * creates took 6–9 s of load to settle (373 → 219 µs of CPU per create in 3 s slices), the naive
 * server's few lines about 3 s (docs/benchmarks.md, "Warm servers"). Measuring them after 1–3 s
 * compared a half-compiled API with a compiled baseline.
 */
export const FIRST_WARMUP_SECONDS = 10;

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * @param {object} options
 * @param {string} options.url base URL
 * @param {object[]} options.requests autocannon request specs, cycled through by each connection
 * @param {number} [options.duration] seconds
 * @param {number} [options.amount] total requests instead of a duration
 * @param {number} [options.connections]
 * @param {number} [options.overallRate] fixed arrival rate, req/s (see loadAtRate); connections then unused
 * @param {number} [options.pid] server process whose CPU time per request is reported
 * @param {{cpu: object, names: string[]}} [options.database] PostgreSQL backends whose CPU time per
 *   request is reported (bench/database-cpu.mjs): the sampler and the databases' names
 */
export async function load({ url, requests, duration, amount, connections = 10, overallRate, pid, database }) {
  if (overallRate) return loadAtRate({ url, requests, duration, amount, rate: overallRate, pid, database });
  const cpuBefore = pid ? cpuSeconds(pid) : null;
  const databaseBefore = database ? await database.cpu.sample(database.names) : null;
  const latencies = [];
  const instance = autocannon({
    url,
    requests,
    connections,
    pipelining: 1,
    timeout: 10,
    ...(amount ? { amount } : { duration }),
  });
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    if (statusCode < 400) latencies.push(responseTime);
  });
  const result = await instance;
  return summary(latencies, result.duration || duration || 1, result.non2xx + result.errors + result.timeouts, {
    pid,
    cpuBefore,
    databaseSeconds: database ? await database.cpu.since(database.names, databaseBefore) : null,
  });
}

export function summary(latencies, seconds, failed, { pid, cpuBefore, databaseSeconds = null }) {
  const cpuAfter = pid ? cpuSeconds(pid) : null;
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ok: latencies.length,
    failed,
    // Robust to other load on the machine, unlike req/s: what one request costs the server.
    cpuUs:
      cpuBefore !== null && cpuAfter !== null && latencies.length > 0
        ? ((cpuAfter - cpuBefore) * 1e6) / latencies.length
        : null,
    // What scaling out cannot add: the PostgreSQL backends' CPU per request served.
    dbCpuUs: databaseSeconds !== null && latencies.length > 0 ? (databaseSeconds * 1e6) / latencies.length : null,
    seconds,
  };
}

/**
 * Open-loop load at a constant arrival rate (bench/open-loop.mjs): request i is due at
 * start + i / rate and is sent then, whether or not earlier ones have been answered. autocannon's
 * `overallRate` is not that: each connection sends back to back until it has used its quota for the
 * current second and then waits for the next one, so "1,000 req/s" is a burst at full speed followed
 * by silence, and the latencies are a saturated server's.
 */
export async function loadAtRate({ url, requests, duration, amount, rate, pid, database }) {
  const cpuBefore = pid ? cpuSeconds(pid) : null;
  const databaseBefore = database ? await database.cpu.sample(database.names) : null;
  const { latencies, failed, seconds } = await openLoop({
    url,
    requests,
    total: amount ?? Math.round(rate * duration),
    rate,
  });
  return summary(latencies, seconds, failed, {
    pid,
    cpuBefore,
    databaseSeconds: database ? await database.cpu.since(database.names, databaseBefore) : null,
  });
}
