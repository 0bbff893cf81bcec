import helmet from "@fastify/helmet";
import underPressure from "@fastify/under-pressure";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { AppError } from "../errors.ts";

/** Seconds a client is asked to wait when the instance sheds load. */
const OVERLOAD_RETRY_AFTER = 5;

/**
 * Whole-server protections: helmet's security headers on every response, and load shedding with
 * @fastify/under-pressure — when the event loop lags beyond the threshold, requests get 503 with
 * Retry-After (through the one error handler) instead of queueing until they time out. /readyz
 * sheds too, so a load balancer stops sending to a struggling instance; /healthz never does,
 * because a busy process is still alive and must not be restarted for it.
 */
export const protectionPlugin = fp(async (app: FastifyInstance, options: { maxEventLoopDelay: number }) => {
  await app.register(helmet, {
    global: true,
    // Self-hosted instances are often reached over plain HTTP on a LAN; upgrading /docs' asset
    // requests to HTTPS there would break it. TLS belongs to the proxy in front (and HSTS).
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
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
