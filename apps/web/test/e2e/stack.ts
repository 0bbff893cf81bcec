import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { API_NODE_FLAGS } from "../../../api/node-flags.mjs";
import { WEB_NODE_FLAGS } from "../../node-flags.mjs";

/** Builds what is missing or stale and runs the real API and web app for the end-to-end tests. */
export const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const webRoot = join(repoRoot, "apps/web");
const apiRoot = join(repoRoot, "apps/api");

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function run(command: string, args: string[], cwd: string, label: string): boolean {
  console.log(`[e2e] ${label}…`);
  const result = spawnSync(command, args, {
    cwd,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  return result.status === 0;
}

/** Builds the API and the web app only when their output is missing or older than their sources. */
export function buildIfNeeded() {
  const apiBuilt = newestMtime(join(apiRoot, "dist/server.js"));
  const apiSources = Math.max(newestMtime(join(apiRoot, "src")), newestMtime(join(repoRoot, "packages/contract/src")));
  if (apiBuilt === 0 || apiSources > apiBuilt)
    run("npm", ["run", "build", "-w", "@taskvault/api"], repoRoot, "building the API");

  const webBuilt = newestMtime(join(webRoot, ".next/BUILD_ID"));
  const webSources = Math.max(
    newestMtime(join(webRoot, "src")),
    newestMtime(join(webRoot, "server")),
    newestMtime(join(webRoot, "next.config.ts")),
    newestMtime(join(webRoot, "postcss.config.mjs")),
    newestMtime(join(repoRoot, "packages/contract/src")),
  );
  if ((webBuilt === 0 || webSources > webBuilt) && !run("npx", ["next", "build"], webRoot, "building the web app")) {
    throw new Error("building the web app failed");
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

// Three minutes: on a 2-core machine shared with other builds, a fresh embedded database's first
// start was seen to take over 60 s.
async function waitFor(url: string, child: ChildProcess, label: string, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${label} exited with ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(url, { redirect: "manual" });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${label} was not ready within ${timeoutMs} ms`);
}

/** `publicUrl` is the API's PUBLIC_URL: the web app under the host `publicHost` names. */
export type Stack = { webUrl: string; publicUrl: string; apiUrl: string; accessTtl: number; stop(): Promise<void> };

export type StackOptions = {
  accessTtl: number;
  /** The API's auth throttles (off by default, so the suite's many sign-ins never wait). */
  rateLimit?: boolean;
  /** More environment for the API (e.g. lower throttle limits). */
  apiEnv?: Record<string, string>;
  /** TRUST_PROXY of the web server: proxies in front of it whose X-Forwarded-For it believes. */
  webTrustProxy?: string;
  /**
   * Start the API this long after the web server, as `npm start` on a fresh data directory
   * effectively does; startStack then returns as soon as the web server lives.
   */
  apiDelayMs?: number;
  /**
   * The host of PUBLIC_URL (default 127.0.0.1, like webUrl). Passkeys need `localhost`: WebAuthn
   * wants a secure context and a domain as its RP ID, and an IP address is not one.
   */
  publicHost?: "127.0.0.1" | "localhost";
  /**
   * The web server's port, when something has to know PUBLIC_URL before the stack starts (an
   * OpenID provider registers the redirect URI PUBLIC_URL/auth/oidc/callback); a free one otherwise.
   */
  webPort?: number;
};

/**
 * Runs the API and the web app the way `npm start` does: the web app through server.mjs, which
 * sets the client address, and the API trusting loopback (the web server) as its proxy.
 */
export async function startStack({
  accessTtl,
  rateLimit = false,
  apiEnv = {},
  webTrustProxy,
  apiDelayMs = 0,
  publicHost = "127.0.0.1",
  webPort: chosenWebPort,
}: StackOptions): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), "taskvault-e2e-"));
  const [apiPort, webPort] = [await freePort(), chosenWebPort ?? (await freePort())];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const publicUrl = `http://${publicHost}:${webPort}`;
  const children: ChildProcess[] = [];
  const log = (label: string) => (chunk: Buffer) => {
    if (process.env.E2E_VERBOSE) process.stdout.write(`[${label}] ${chunk}`);
  };

  const webEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(webPort),
    HOST: "127.0.0.1",
    API_URL: apiUrl,
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_ENV: "production",
  };
  delete webEnv.TRUST_PROXY;
  if (webTrustProxy) webEnv.TRUST_PROXY = webTrustProxy;
  const web = spawn(process.execPath, [...WEB_NODE_FLAGS, join(webRoot, "server.mjs")], {
    cwd: webRoot,
    env: webEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(web);
  web.stdout?.on("data", log("web"));
  web.stderr?.on("data", (chunk: Buffer) => process.stderr.write(`[web] ${chunk}`));

  const startApi = () => {
    const api = spawn(process.execPath, [...API_NODE_FLAGS, join(apiRoot, "dist/server.js")], {
      cwd: repoRoot,
      env: {
        ...process.env,
        API_PORT: String(apiPort),
        HOST: "127.0.0.1",
        DATA_DIR: dataDir,
        AUTH_ACCESS_TTL: String(accessTtl),
        AUTH_RATE_LIMIT: rateLimit ? "on" : "off",
        TRUST_PROXY: "127.0.0.1,::1",
        // The address people open: links in messages (and the passkey origin) point at the web app.
        PUBLIC_URL: publicUrl,
        NODE_ENV: "test",
        ...apiEnv,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(api);
    api.stdout?.on("data", log("api"));
    api.stderr?.on("data", (chunk: Buffer) => process.stderr.write(`[api] ${chunk}`));
    return api;
  };
  const api = apiDelayMs > 0 ? null : startApi();
  const delayedApi = apiDelayMs > 0 ? setTimeout(startApi, apiDelayMs) : null;

  const stop = async () => {
    if (delayedApi) clearTimeout(delayedApi);
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
            setTimeout(() => child.kill("SIGKILL"), 5000).unref();
          }),
      ),
    );
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    if (api) {
      await waitFor(`${apiUrl}/readyz`, api, "the API");
      await waitFor(`http://127.0.0.1:${webPort}/readyz`, web, "the web app");
    } else {
      await waitFor(`http://127.0.0.1:${webPort}/healthz`, web, "the web app");
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { webUrl: `http://127.0.0.1:${webPort}`, publicUrl, apiUrl, accessTtl, stop };
}
