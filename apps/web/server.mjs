#!/usr/bin/env node
// The production web server: Next.js behind a few lines of Node that decide who the client is,
// answer the two hottest reads (server/fast-reads.mjs, docs/decisions/013-bff-fast-reads.md) and
// hold requests until the API has started (server/api-readiness.mjs).
//
// The API throttles sign-in, sign-up and refresh per client address and believes
// X-Forwarded-For only from its trusted proxies, this server included. Next keeps a
// browser-sent X-Forwarded-For as it is, so before Next sees a request the header is replaced
// with the socket address, or, when the socket is one of TRUST_PROXY's proxies, with the first
// untrusted hop of the chain (docs/decisions/012-client-address.md).
//
//   PORT (3000), HOST (127.0.0.1), TRUST_PROXY (none), API_URL: see the README.
//   GET /healthz: 200 while this process lives; GET /readyz: 200 when the API is ready, else 503.
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import next from "next";
import { createApiReadiness } from "./server/api-readiness.mjs";
import { compileTrust, setClientAddress } from "./server/client-address.mjs";
import { enterProductionMode, readWebServerConfig } from "./server/config.mjs";
import { createFastReads } from "./server/fast-reads.mjs";

const dir = fileURLToPath(new URL(".", import.meta.url));
const { hostname, port, trustProxy, apiUrl } = readWebServerConfig();
const trust = compileTrust(trustProxy);

enterProductionMode();

const app = next({ dev: false, dir, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
const serveFastRead = createFastReads(apiUrl);
const apiReadiness = createApiReadiness(apiUrl);

/**
 * @param {import("node:http").ServerResponse} response
 * @param {number} status
 * @param {string} state
 */
function answerHealth(response, status, state) {
  response.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  response.end(JSON.stringify({ status: state }));
}

/**
 * @param {import("node:http").IncomingMessage} request
 * @param {import("node:http").ServerResponse} response
 */
async function serve(request, response) {
  if (request.url === "/healthz") return answerHealth(response, 200, "ok");
  if (request.url === "/readyz") {
    const ready = await apiReadiness.probe();
    return answerHealth(response, ready ? 200 : 503, ready ? "ready" : "waiting for the API");
  }
  // Before the API's first readiness, wait for it rather than answer 503 (bounded).
  if (!apiReadiness.hasBeenReady()) await apiReadiness.untilReady();
  setClientAddress(request, trust);
  // The todo and list reads skip Next's router when nothing but a relay is needed (decision 013).
  if (!(await serveFastRead(request, response))) await handle(request, response);
}

const server = createServer((request, response) => {
  serve(request, response).catch((error) => {
    console.error(error);
    if (!response.headersSent) response.statusCode = 500;
    response.end();
  });
});
server.listen(port, hostname, () => {
  console.log(`Taskvault web listening on http://${hostname.includes(":") ? `[${hostname}]` : hostname}:${port}`);
});

const shutdown = () => {
  server.close(() => process.exit(0));
  // Event streams stay open until the browser leaves: do not wait for them.
  server.closeAllConnections?.();
  setTimeout(() => process.exit(0), 5_000).unref();
};
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
