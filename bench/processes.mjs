// Starting, timing, sampling and stopping the processes under test.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Spawns `node <args>` and resolves once `GET <readyPath>` answers 200, with the time from spawn
 * to that answer (what an orchestrator's readiness probe would see, at 5 ms polling resolution).
 */
export async function startProcess({
  name,
  args,
  env,
  cwd,
  port,
  readyPath = "/readyz",
  readyHeaders,
  // PGlite's first start (initdb in WebAssembly) took 39–55 s with other engineers' test suites on
  // the same 2 cores (load average 15–20), and one restart did not make 60 s.
  timeoutMs = 180_000,
}) {
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk) => {
    output = (output + chunk).slice(-8000);
  };
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  let exited = null;
  child.on("exit", (code, signal) => {
    exited = { code, signal };
  });
  const url = `http://127.0.0.1:${port}${readyPath}`;
  while (performance.now() - started < timeoutMs) {
    if (exited) throw new Error(`${name} exited (${exited.code ?? exited.signal}) before it was ready:\n${output}`);
    try {
      const response = await fetch(url, { headers: readyHeaders });
      await response.arrayBuffer();
      if (response.status === 200) {
        const startupMs = performance.now() - started;
        const cpu = cpuSeconds(child.pid);
        return { name, child, port, startupMs, startupCpuMs: cpu === null ? null : cpu * 1000, output: () => output };
      }
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  child.kill("SIGKILL");
  throw new Error(`${name} was not ready within ${timeoutMs} ms:\n${output}`);
}

/** SIGTERM, then SIGKILL after a grace period; resolves when the process is gone. */
export async function stopProcess(proc, graceMs = 10_000) {
  if (!proc || proc.child.exitCode !== null || proc.child.signalCode !== null) return;
  const gone = new Promise((resolve) => proc.child.once("exit", resolve));
  proc.child.kill("SIGTERM");
  const timer = setTimeout(() => proc.child.kill("SIGKILL"), graceMs);
  await gone;
  clearTimeout(timer);
}

/** Resident set size of a process in MB, from /proc (Linux); null elsewhere. */
export function rssMb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples RSS every 100 ms until stopped; returns the peak in MB. */
export function sampleRss(pid) {
  let peak = null;
  const take = () => {
    const value = rssMb(pid);
    if (value !== null && (peak === null || value > peak)) peak = value;
  };
  take();
  const timer = setInterval(take, 100);
  return () => {
    clearInterval(timer);
    take();
    return peak;
  };
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc (Linux); null elsewhere. */
export function cpuSeconds(pid, thread) {
  try {
    // With `thread`, that one thread's CPU time (the main thread's id is the process's).
    const stat = readFileSync(thread ? `/proc/${pid}/task/${thread}/stat` : `/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

// USER_HZ: 100 on every mainstream Linux build.
const CLOCK_TICKS = 100;

/** The number of threads of a process (Linux /proc), or null where there is no /proc. */
export function threadCount(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/^Threads:\s+(\d+)/m.exec(status)?.[1]);
  } catch {
    return null;
  }
}

/**
 * Resolves once the process runs no more threads than `before` (the API stops an idle hashing
 * thread after a few seconds), then waits one more second; at most `timeoutMs`.
 */
export async function threadsSettled(pid, before, timeoutMs = 30_000) {
  const deadline = performance.now() + timeoutMs;
  while (before !== null && performance.now() < deadline) {
    const now = threadCount(pid);
    if (now === null || now <= before) break;
    await sleep(200);
  }
  await sleep(1000);
}
