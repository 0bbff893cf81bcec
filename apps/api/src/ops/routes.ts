// /healthz, /readyz, /.well-known/jwks.json – liveness, readiness and the public signing keys

import { Problem } from "@taskvault/contract/errors";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemFor } from "../errors.ts";

const Status = z.object({ status: z.string() });

/** /readyz answers within this, whatever the database does (decision 017). */
const READINESS_TIMEOUT_MS = 800;

export const opsRoutes: FastifyPluginAsyncZod<{ ping(timeoutMs: number): Promise<boolean> }> = async (app, options) => {
  app.get(
    "/healthz",
    {
      config: { auth: "public" },
      schema: {
        operationId: "getHealth",
        tags: ["operations"],
        summary: "Liveness: the process answers",
        response: { 200: Status },
      },
    },
    async () => ({ status: "ok" }),
  );

  app.get(
    "/readyz",
    {
      config: { auth: "public" },
      schema: {
        operationId: "getReadiness",
        tags: ["operations"],
        summary: "Readiness: the database answers (503 while it does not)",
        response: { 200: Status, 503: Problem },
      },
    },
    async (_request, reply) => {
      if (await options.ping(READINESS_TIMEOUT_MS)) return { status: "ready" };
      return reply
        .code(503)
        .header("retry-after", "1")
        .type("application/problem+json")
        .send(problemFor("service_unavailable", "The database does not answer"));
    },
  );

  app.get(
    "/.well-known/jwks.json",
    {
      config: { auth: "public" },
      schema: { operationId: "getSigningKeys", tags: ["auth"], summary: "Public keys that verify access tokens" },
    },
    async (_request, reply) => {
      reply.header("cache-control", "public, max-age=300");
      return app.auth.keys.jwks();
    },
  );
};
