import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export const API_ROOT = join(import.meta.dirname, "..", "..");
const SERVER = join(API_ROOT, "dist", "server.js");

let built = false;
/** Builds dist/ once per test process (esbuild takes well under a second). */
export function buildServer(): string {
  if (!built || !existsSync(SERVER)) {
    execFileSync(process.execPath, ["build.mjs"], { cwd: API_ROOT, stdio: "inherit" });
    built = true;
  }
  return SERVER;
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts the built API on a free port and waits until /readyz answers 200. */
export async function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, [buildServer()], {
    cwd: API_ROOT,
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", API_PORT: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + timeoutMs;
  let url: string | undefined;
  while (Date.now() < deadline) {
    url ??= /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    if (url) {
      const ready = await fetch(`${url}/readyz`).catch(() => null);
      if (ready?.status === 200) break;
    }
    if (child.exitCode !== null) throw new Error(`API exited early (${child.exitCode}):\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!url) {
    child.kill("SIGKILL");
    throw new Error(`API did not start in time:\n${output}`);
  }
  return {
    child,
    url,
    output: () => output,
    stop(signal = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the built server expecting it to refuse to start; resolves with its exit code and output. */
export function runToExit(
  script: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  buildServer();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(API_ROOT, "dist", script)], {
      cwd: API_ROOT,
      env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", API_PORT: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    child.once("exit", (code) => resolve({ code, output }));
  });
}
