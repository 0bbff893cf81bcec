// /api/v1/me/tokens – the signed-in user's API tokens (create, list, revoke); never usable with a token
import { ApiTokenList, ApiTokenParams, CreateApiToken, CreatedApiToken } from "@taskvault/contract/api-tokens";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { clientInfo } from "../http/client-info.ts";
import { createApiToken, listApiTokens, revokeApiToken } from "./manage-api-tokens.ts";
import { STEP_UP_PROOF_NOTE } from "./step-up.ts";

const tags = ["me"];

export const apiTokenRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/tokens",
    {
      config: { stepUp: true },
      schema: {
        operationId: "createApiToken",
        tags,
        summary: "Create an API token for scripts; `token` (tvk_…) is shown only in this answer",
        description:
          `${STEP_UP_PROOF_NOTE} ` +
          "Scopes: todos:read, todos:write, lists:read, lists:write (a write scope includes its read). " +
          "`expiresAt` defaults to 90 days from now. Send the token as `Authorization: Bearer tvk_…`.",
        body: CreateApiToken,
        response: { 201: CreatedApiToken },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await createApiToken(app.auth, request.caller, request.body, clientInfo(request))),
  );

  app.get(
    "/tokens",
    {
      schema: {
        operationId: "listApiTokens",
        tags,
        summary: "The account's API tokens, newest first, without their secrets",
        response: { 200: ApiTokenList },
      },
    },
    (request) => listApiTokens(app.auth, request.caller),
  );

  app.delete(
    "/tokens/:id",
    {
      schema: {
        operationId: "revokeApiToken",
        tags,
        summary: "Revoke an API token: refused at once on every instance",
        params: ApiTokenParams,
      },
    },
    async (request, reply) => {
      await revokeApiToken(app.auth, request.caller, request.params.id, clientInfo(request));
      return reply.code(204).send();
    },
  );
};
