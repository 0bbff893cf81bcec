// /healthz, /readyz, /.well-known/jwks.json – liveness, readiness and the public signing keys

import { Problem } from "@taskvault/contract/errors";
import { sql } from "drizzle-orm";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { problemFor } from "../errors.ts";

const Status = z.object({ status: z.string() });

export const opsRoutes: FastifyPluginAsyncZod = async (app) => {
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
      try {
        await app.db.execute(sql`select 1`);
        return { status: "ready" };
      } catch {
        return reply
          .code(503)
          .type("application/problem+json")
          .send(problemFor("service_unavailable", "The database does not answer"));
      }
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
