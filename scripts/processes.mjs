// Shared by start.mjs and dev.mjs: configuration from the environment, child processes, readiness.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("..", import.meta.url));
export const webDir = fileURLToPath(new URL("../apps/web/", import.meta.url));

const WILDCARD_HOSTS = new Set(["0.0.0.0", "::", "[::]"]);
const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]", ...WILDCARD_HOSTS]);

/** The contract's variables: PORT, API_PORT, HOST, API_URL (everything else passes through). */
export function readConfig(env = process.env) {
  const host = env.HOST || "127.0.0.1";
  const port = env.PORT || "3000";
  const apiPort = env.API_PORT || "4000";
  // The web server reaches the API on loopback unless both are bound to one specific address.
  const apiHost = LOCAL_HOSTS.has(host) ? "127.0.0.1" : host;
  const apiUrl =
    env.API_URL || `http://${apiHost.includes(":") && !apiHost.startsWith("[") ? `[${apiHost}]` : apiHost}:${apiPort}`;
  const publicHost = LOCAL_HOSTS.has(host) ? "localhost" : host;
  const bracket = (name) => (name.includes(":") && !name.startsWith("[") ? `[${name}]` : name);
  return {
    host,
    apiHost,
    port,
    apiPort,
    apiUrl,
    // Where this script itself checks that the web app answers.
    webCheckUrl: `http://${bracket(apiHost)}:${port}/readyz`,
    publicUrl: `http://${bracket(publicHost)}:${port}`,
  };
}

/**
 * TRUST_PROXY for the API: the user's proxies plus loopback, because the web server, which reaches
 * the API on loopback, is the API's proxy and forwards each browser's address in X-Forwarded-For
 * (docs/decisions/012-client-address.md). The web server itself keeps the user's TRUST_PROXY.
 */
export function apiTrustProxy(env = process.env, apiHost = "127.0.0.1") {
  const entries = (env.TRUST_PROXY ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Bound to one specific address, the web server reaches the API from that address instead.
  const own = LOCAL_HOSTS.has(apiHost) ? [] : [apiHost.replace(/^\[|\]$/g, "")];
  return [...new Set([...entries, "127.0.0.1", "::1", ...own])].join(",");
}

/** The production web server: Next.js behind apps/web/server.mjs, which sets the client address. */
export function webServer() {
  return `${webDir}server.mjs`;
}

export function nextBin() {
  return createRequire(`${webDir}package.json`).resolve("next/dist/bin/next");
}

/** Starts a child whose output is prefixed, so the two logs stay readable side by side. */
export function startChild(label, command, args, options) {
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = (stream, target) => {
    let buffer = "";
    stream.on("data", (chunk) => {
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) target.write(`[${label}] ${line}\n`);
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  return child;
}

export async function waitUntilReady(url, child, label, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${label} stopped before it was ready`);
    try {
      const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5000) });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${label} was not ready at ${url} within ${timeoutMs / 1000} s`);
}

/**
 * Ctrl-C, SIGTERM or either child dying stops both children (SIGTERM, then SIGKILL after 10 s)
 * and exits: 0 when asked to stop, 1 when a child failed on its own.
 */
export function superviseChildren(children) {
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(
      children.map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", resolve);
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
          }),
      ),
    );
    process.exit(code);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => void stop(0));
  for (const child of children) {
    child.once("exit", (code, signal) => {
      if (stopping) return;
      console.error(`A Taskvault process stopped unexpectedly (${signal ?? `exit ${code}`}); stopping the rest.`);
      void stop(1);
    });
  }
  return stop;
}
