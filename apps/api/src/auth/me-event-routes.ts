// GET /api/v1/me/events – the signed-in user's security trail, newest first
import { AuthEventPage, ListAuthEventsQuery } from "@taskvault/contract/events";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { listAuthEvents } from "./events.ts";

export const meEventRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addHook("onRequest", app.authenticate);

  app.get(
    "/events",
    {
      schema: {
        tags: ["me"],
        security: [{ bearer: [] }],
        summary: "The user's sign-ins, refreshes, sign-outs and other security events, newest first",
        querystring: ListAuthEventsQuery,
        response: { 200: AuthEventPage },
      },
    },
    (request) => listAuthEvents(app.auth, request.caller, request.query),
  );
};
