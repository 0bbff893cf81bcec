import type { IncomingMessage, ServerResponse } from "node:http";
import underPressure from "@fastify/under-pressure";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import helmet from "helmet";
import { AppError } from "../errors.ts";

/** Seconds a client is asked to wait when the instance sheds load. */
const OVERLOAD_RETRY_AFTER = 5;

/**
 * helmet's security headers, worked out once. @fastify/helmet calls `helmet(options)` again for
 * every response, rebuilding its middleware and re-parsing the CSP each time, a measurable share of
 * a cheap request's CPU (figures: docs/benchmarks.md); the headers never depend on the request, so one run gives
 * them all.
 */
function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const collect = {
    setHeader(name: string, value: string) {
      headers[name.toLowerCase()] = value;
    },
    removeHeader() {},
  };
  const middleware = helmet({
    // Self-hosted instances are often reached over plain HTTP on a LAN; upgrading /docs' asset
    // requests to HTTPS there would break it. TLS belongs to the proxy in front (and HSTS).
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  middleware({} as IncomingMessage, collect as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return headers;
}

/**
 * Whole-server protections: helmet's security headers on every response, and load shedding with
 * @fastify/under-pressure — when the event loop lags beyond the threshold, requests get 503 with
 * Retry-After (through the one error handler) instead of queueing until they time out. /readyz
 * sheds too, so a load balancer stops sending to a struggling instance; /healthz never does,
 * because a busy process is still alive and must not be restarted for it.
 */
export const protectionPlugin = fp(async (app: FastifyInstance, options: { maxEventLoopDelay: number }) => {
  const headers = securityHeaders();
  app.addHook("onRequest", async (_request, reply) => {
    reply.headers(headers);
  });
  await app.register(underPressure, {
    maxEventLoopDelay: options.maxEventLoopDelay,
    pressureHandler: async (request, _reply, type, value) => {
      if (request.routeOptions.url === "/healthz") return;
      request.log.warn({ type, value }, "under pressure: shedding a request");
      throw new AppError("service_unavailable", "The server is overloaded; retry shortly", {
        headers: { "retry-after": String(OVERLOAD_RETRY_AFTER) },
      });
    },
  });
});
