// The client's address for the API's per-IP throttles, worked out by the web server itself.
// Plain JavaScript: server.mjs loads it before Next, and the unit tests import it too.
import { isIP } from "node:net";
import proxyaddr from "@fastify/proxy-addr";

/** @typedef {(address: string, hop: number) => boolean} Trust */

/**
 * TRUST_PROXY as the API reads it: comma-separated addresses or CIDRs of the proxies in front of
 * this server (empty: nobody, the socket address is the client). Returns proxy-addr's trust test.
 * A malformed entry throws, so a typo stops the server at start-up instead of trusting nobody.
 * @param {string | undefined | null} trustProxy
 * @returns {Trust}
 */
export function compileTrust(trustProxy) {
  const entries = (trustProxy ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  return proxyaddr.compile(entries);
}

/**
 * The address a request really came from: the socket address, unless the socket is one of the
 * trusted proxies, in which case X-Forwarded-For is walked from the right, skipping trusted
 * proxies, and the first untrusted hop is the client. Whatever a browser wrote itself in
 * X-Forwarded-For is to the left of that hop and never used.
 * @param {import("node:http").IncomingMessage} request
 * @param {Trust} trust
 * @returns {string | undefined}
 */
export function clientAddress(request, trust) {
  const address = proxyaddr(request, trust);
  return unmapIPv4(address);
}

/**
 * Replaces X-Forwarded-For (and drops the other forwarding headers a browser could forge) with
 * the one trustworthy address, before Next sees the request. Next only fills in X-Forwarded-For
 * when it is absent, so without this a browser could pick its own throttle bucket.
 * @param {import("node:http").IncomingMessage} request
 * @param {Trust} trust
 * @returns {string | undefined}
 */
export function setClientAddress(request, trust) {
  const address = clientAddress(request, trust);
  delete request.headers.forwarded;
  delete request.headers["x-real-ip"];
  if (address && isIP(address)) request.headers["x-forwarded-for"] = address;
  else delete request.headers["x-forwarded-for"];
  return address;
}

/**
 * `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) is 192.0.2.1.
 * @param {string | undefined} address
 */
function unmapIPv4(address) {
  if (typeof address !== "string") return address;
  const match = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return match ? match[1] : address;
}
