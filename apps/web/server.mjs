#!/usr/bin/env node
// The production web server: Next.js behind a few lines of Node that decide who the client is
// and answer the two hottest reads (server/fast-reads.mjs, docs/decisions/013-bff-fast-reads.md).
//
// The API throttles sign-in, sign-up and refresh per client address and believes
// X-Forwarded-For only from its trusted proxies, this server included. Next keeps a
// browser-sent X-Forwarded-For as it is, so before Next sees a request the header is replaced
// with the socket address, or, when the socket is one of TRUST_PROXY's proxies, with the first
// untrusted hop of the chain (docs/decisions/012-client-address.md).
//
//   PORT (3000), HOST (127.0.0.1), TRUST_PROXY (none), API_URL: see the README.
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import next from "next";
import { resolveApiUrl } from "./server/api-url.mjs";
import { compileTrust, setClientAddress } from "./server/client-address.mjs";
import { createFastReads } from "./server/fast-reads.mjs";

const dir = fileURLToPath(new URL(".", import.meta.url));
const hostname = process.env.HOST || "127.0.0.1";
const port = Number(process.env.PORT || 3000);
const trust = compileTrust(process.env.TRUST_PROXY);

process.env.NODE_ENV = "production";
const app = next({ dev: false, dir, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();
const serveFastRead = createFastReads(resolveApiUrl(process.env));

const server = createServer((request, response) => {
  setClientAddress(request, trust);
  // The todo and list reads skip Next's router when nothing but a relay is needed (decision 013).
  serveFastRead(request, response)
    .then((answered) => answered || handle(request, response))
    .catch((error) => {
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
