#!/usr/bin/env node
// `npm run dev`: the API (tsx watch) and the web app (next dev) together, both reloading on change.
import {
  apiTrustProxy,
  nextBin,
  readConfig,
  root,
  startChild,
  superviseChildren,
  waitUntilReady,
  webDir,
} from "./processes.mjs";

const config = readConfig();
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

const api = startChild("api", npm, ["run", "dev", "-w", "@taskvault/api"], {
  cwd: root,
  // The web server forwards each browser's address; in development `next dev` serves the pages
  // and keeps a browser-sent X-Forwarded-For, so per-client throttling is only exact with npm start.
  env: {
    ...process.env,
    API_PORT: config.apiPort,
    HOST: config.host,
    TRUST_PROXY: apiTrustProxy(process.env, config.apiHost),
  },
});
const web = startChild("web", process.execPath, [nextBin(), "dev", "-p", config.port, "-H", config.host], {
  cwd: webDir,
  env: { ...process.env, API_URL: config.apiUrl, NEXT_TELEMETRY_DISABLED: "1" },
});
const stop = superviseChildren([api, web]);

try {
  await waitUntilReady(`${config.apiUrl}/readyz`, api, "The API");
  await waitUntilReady(config.webCheckUrl, web, "The web app", 300_000);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  await stop(1);
}
console.log(`\nTaskvault (development) is running at ${config.publicUrl}\n(Ctrl-C stops it)\n`);
