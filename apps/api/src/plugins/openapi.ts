import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { jsonSchemaTransform } from "fastify-type-provider-zod";

/** The OpenAPI `security` of a route that needs a Bearer access token (set by protectRoutes). */
export const bearerSecurity = [{ bearer: [] }];
/** The OpenAPI `security` of a route anyone may call. */
export const publicSecurity: [] = [];

/** OpenAPI generated from the same zod schemas that validate requests; `/docs` renders it. */
export const openapiPlugin = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Taskvault API",
        version: "1.0.0",
        description:
          "Accounts, rotating JWT sessions and user-isolated todos. Errors are RFC 9457 application/problem+json with a stable `code`.",
      },
      components: {
        securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
});
