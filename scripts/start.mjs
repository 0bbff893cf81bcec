#!/usr/bin/env node
// `npm start`: builds whatever is missing, runs the API and the web app together, prints the
// address to open, and stops both cleanly on Ctrl-C.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { API_NODE_FLAGS } from "../apps/api/node-flags.mjs";
import { WEB_NODE_FLAGS } from "../apps/web/node-flags.mjs";
import {
  apiTrustProxy,
  readConfig,
  root,
  startChild,
  superviseChildren,
  waitUntilReady,
  webDir,
  webServer,
} from "./processes.mjs";

const config = readConfig();
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function buildIfMissing(label, output, args) {
  if (existsSync(join(root, output))) return;
  console.log(`Building the ${label} (first run only)…`);
  const result = spawnSync(npm, args, {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) {
    console.error(`Building the ${label} failed.`);
    process.exit(result.status ?? 1);
  }
}

buildIfMissing("API", "apps/api/dist/server.js", ["run", "build", "-w", "@taskvault/api"]);
buildIfMissing("web app", "apps/web/.next/BUILD_ID", ["run", "build", "-w", "@taskvault/web"]);

const api = startChild("api", process.execPath, [...API_NODE_FLAGS, join(root, "apps/api/dist/server.js")], {
  cwd: root,
  env: {
    ...process.env,
    API_PORT: config.apiPort,
    HOST: config.host,
    TRUST_PROXY: apiTrustProxy(process.env, config.apiHost),
  },
});
const web = startChild("web", process.execPath, [...WEB_NODE_FLAGS, webServer()], {
  cwd: webDir,
  env: {
    ...process.env,
    PORT: config.port,
    HOST: config.host,
    API_URL: config.apiUrl,
    NEXT_TELEMETRY_DISABLED: "1",
    NODE_ENV: "production",
  },
});
const stop = superviseChildren([api, web]);

try {
  await waitUntilReady(`${config.apiUrl}/readyz`, api, "The API");
  await waitUntilReady(config.webCheckUrl, web, "The web app");
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stop(1);
}
console.log(`\nTaskvault is running at ${config.publicUrl}\n(Ctrl-C stops it)\n`);
