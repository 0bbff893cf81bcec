import type { FastifyRequest } from "fastify";
import type { ClientInfo } from "../auth/context.ts";

/** The client as the session list shows it; `request.ip` already honours TRUST_PROXY. */
export function clientInfo(request: FastifyRequest): ClientInfo {
  return { ip: request.ip ?? null, userAgent: request.headers["user-agent"] ?? null };
}
