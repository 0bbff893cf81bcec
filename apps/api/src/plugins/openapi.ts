import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { Problem } from "@taskvault/contract/errors";
import type { FastifyInstance, RouteOptions } from "fastify";
import fp from "fastify-plugin";
import { jsonSchemaTransform } from "fastify-type-provider-zod";
import { z } from "zod";

/** The OpenAPI `security` of a route that needs a Bearer access token (set by protectRoutes). */
export const bearerSecurity = [{ bearer: [] }];
/** The OpenAPI `security` of a route anyone may call. */
export const publicSecurity: [] = [];

declare module "fastify" {
  interface FastifyContextConfig {
    /** Domain errors the route answers, by status, documented as problem+json (`code` in the text). */
    problems?: Record<number, string>;
  }
}

type RouteSchema = Record<string, unknown> & { response?: Record<string, unknown>; hide?: boolean };

const problemResponse = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

/**
 * The error answers a route can give, read off its declaration, so a generated client can type
 * them: 401 without a valid token (every route that is not public), 400/415 for a body that is not
 * JSON, 422 for input its schemas refuse, 404 for an id that names nothing of the caller's, 412 for
 * a stale If-Match, 429 where a throttle guards it. Every one is RFC 9457 problem+json.
 */
function errorResponses(schema: RouteSchema, route: RouteOptions): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  const has = (part: string) => schema[part] !== undefined;
  if (has("body")) {
    responses[400] = problemResponse("The body is not valid JSON (`invalid_json`)");
    responses[415] = problemResponse("The body is not JSON (`unsupported_media_type`)");
  }
  if (route.config?.auth !== "public") {
    responses[401] = problemResponse("No valid access token (`unauthorized`, `invalid_token`)");
    responses[403] = route.config?.scopes
      ? problemResponse("The API token lacks a scope the route needs (`insufficient_scope`)")
      : problemResponse("API tokens are refused here: use a session's access token (`forbidden`)");
  }
  if (has("params")) responses[404] = problemResponse("Nothing of the caller's has that id (`not_found`)");
  if (JSON.stringify(schema.headers ?? {}).includes("if-match")) {
    responses[412] = problemResponse("The resource changed since that version (`precondition_failed`)");
  }
  if (has("body") || has("querystring") || has("params") || has("headers")) {
    responses[422] = problemResponse("The input breaks the schema; `errors` names each field (`validation_failed`)");
  }
  if (route.config?.throttle) responses[429] = problemResponse("Too many attempts; wait Retry-After (`rate_limited`)");
  for (const [status, description] of Object.entries(route.config?.problems ?? {})) {
    responses[status] = problemResponse(description);
  }
  return responses;
}

/** One route's OpenAPI operation: the zod schemas as JSON Schema, plus what the declaration implies. */
function documentRoute(input: Parameters<typeof jsonSchemaTransform>[0]) {
  const { schema, url } = jsonSchemaTransform(input) as { schema: RouteSchema; url: string };
  if (schema.hide) return { schema, url };
  const route = input.route as RouteOptions;
  if (typeof schema.operationId !== "string") {
    throw new Error(`${route.method} ${url} declares no operationId: generated clients name their methods after it`);
  }
  const responses = { ...errorResponses(input.schema as RouteSchema, route), ...schema.response };
  // Bearer covers both a session's access token and an API token (tvk_…); the scopes a token needs are said here.
  const scopes = route.config?.scopes;
  if (scopes && route.config?.auth !== "public") {
    const note = `API tokens need the scope${scopes.length > 1 ? "s" : ""} ${scopes.map((scope) => `\`${scope}\``).join(" and ")}.`;
    schema.description = typeof schema.description === "string" ? `${schema.description}\n\n${note}` : note;
  }
  const documentsSuccess = Object.keys(responses).some((status) => status.startsWith("2"));
  return {
    schema: { ...schema, response: documentsSuccess ? responses : { 204: { description: "Done" }, ...responses } },
    url,
  };
}

/** OpenAPI generated from the same zod schemas that validate requests; `/docs` renders it. */
export const openapiPlugin = fp(async (app: FastifyInstance) => {
  const { $schema: _, ...problemSchema } = z.toJSONSchema(Problem) as Record<string, unknown>;
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Taskvault API",
        version: "1.0.0",
        description:
          "Accounts, rotating JWT sessions and user-isolated todos. Errors are RFC 9457 application/problem+json with a stable `code`.",
      },
      servers: [{ url: "/", description: "This Taskvault API (the origin the document was fetched from)" }],
      tags: [
        { name: "auth", description: "Sign-up, sign-in, sessions and the keys that sign access tokens" },
        { name: "me", description: "The signed-in user's profile, password, account and security trail" },
        {
          name: "single sign-on",
          description:
            "OpenID Connect with the provider the deployment configures (OIDC_*): the API runs the code flow with PKCE, state and nonce; clients redirect and relay",
        },
        { name: "todos", description: "The user's todos" },
        { name: "lists", description: "The user's lists" },
        { name: "changes", description: "The change log and live updates (server-sent events)" },
        { name: "transfer", description: "Export and import" },
        { name: "operations", description: "Liveness and readiness" },
      ],
      components: {
        securitySchemes: {
          bearer: {
            type: "http",
            scheme: "bearer",
            description:
              "A session's access token (JWT), or on the todo, list, change, event and export/import routes an API token (`tvk_…`, POST /api/v1/me/tokens) with the scopes the operation names.",
          },
        },
        schemas: { Problem: problemSchema },
      },
    },
    transform: documentRoute,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
});
