// The production web server's settings, read from the environment once (the only place in
// server/ that reads it; the route handlers have src/lib/env.server.ts). See the README.
import { resolveApiUrl } from "./api-url.mjs";

/**
 * @typedef {object} WebServerConfig
 * @property {string} hostname HOST (127.0.0.1)
 * @property {number} port PORT (3000)
 * @property {string | undefined} trustProxy TRUST_PROXY (none)
 * @property {string} apiUrl API_URL, else http://127.0.0.1:API_PORT
 */

/**
 * @param {NodeJS.ProcessEnv} env
 * @returns {WebServerConfig}
 */
export function readWebServerConfig(env = process.env) {
  return {
    hostname: env.HOST || "127.0.0.1",
    port: Number(env.PORT || 3000),
    trustProxy: env.TRUST_PROXY,
    apiUrl: resolveApiUrl({ API_URL: env.API_URL, API_PORT: env.API_PORT }),
  };
}

/** Next's production server reads NODE_ENV; this process runs nothing but it. */
export function enterProductionMode() {
  Object.assign(process.env, { NODE_ENV: "production" });
}
