// One load run with autocannon, with latencies kept at full (sub-millisecond) precision:
// autocannon's own histogram rounds to whole milliseconds, too coarse for a 5 ms p99 target.
import autocannon from "autocannon";
import { cpuSeconds } from "./processes.mjs";

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
 * @param {number} [options.overallRate] fixed arrival rate, req/s, across all connections
 * @param {number} [options.pid] server process whose CPU time per request is reported
 */
export async function load({ url, requests, duration, amount, connections = 10, overallRate, pid }) {
  const cpuBefore = pid ? cpuSeconds(pid) : null;
  const latencies = [];
  const instance = autocannon({
    url,
    requests,
    connections,
    pipelining: 1,
    timeout: 10,
    ...(amount ? { amount } : { duration }),
    ...(overallRate ? { overallRate } : {}),
  });
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    if (statusCode < 400) latencies.push(responseTime);
  });
  const result = await instance;
  const cpuAfter = pid ? cpuSeconds(pid) : null;
  latencies.sort((a, b) => a - b);
  const seconds = result.duration || duration || 1;
  return {
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    ok: latencies.length,
    failed: result.non2xx + result.errors + result.timeouts,
    // Robust to other load on the machine, unlike req/s: what one request costs the server.
    cpuUs:
      cpuBefore !== null && cpuAfter !== null && latencies.length > 0
        ? ((cpuAfter - cpuBefore) * 1e6) / latencies.length
        : null,
    seconds,
  };
}
