// /api/v1/me – the signed-in user's profile, password, account and security trail
import { ChangePassword, DeleteMe, Preferences, UpdateMe, User } from "@taskvault/contract/auth";
import { AuthEventPage, ListAuthEventsQuery } from "@taskvault/contract/events";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { clientInfo } from "../http/client-info.ts";
import { changePassword, deleteAccount, getMe, getPreferences, updateMe } from "./accounts.ts";
import { listAuthEvents } from "./events.ts";

const tags = ["me"];

export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/",
    { schema: { operationId: "getMe", tags, summary: "The signed-in user", response: { 200: User } } },
    (request) => getMe(app.auth, request.caller),
  );

  app.get(
    "/preferences",
    {
      schema: {
        operationId: "getPreferences",
        tags,
        summary: "The user's preferences: the time zone set with PATCH /me",
        response: { 200: Preferences },
      },
    },
    (request) => getPreferences(app.auth, request.caller),
  );

  app.patch(
    "/",
    {
      schema: {
        operationId: "updateMe",
        tags,
        summary: "Change the user's name and/or time zone (the default zone of new todos)",
        body: UpdateMe,
        response: { 200: User },
      },
    },
    (request) => updateMe(app.auth, request.caller, request.body),
  );

  app.put(
    "/password",
    {
      schema: {
        operationId: "changePassword",
        tags,
        summary: "Change the password; every other session ends",
        body: ChangePassword,
      },
    },
    async (request, reply) => {
      await changePassword(app.auth, request.caller, request.body, clientInfo(request));
      return reply.code(204).send();
    },
  );

  app.delete(
    "/",
    { schema: { operationId: "deleteAccount", tags, summary: "Delete the account and all its data", body: DeleteMe } },
    async (request, reply) => {
      await deleteAccount(app.auth, request.caller, request.body);
      // The security trail is deleted with the account, so the deletion is recorded here, in the log.
      request.log.info(
        { event: "account_deleted", userId: request.caller.userId, ...clientInfo(request) },
        "account deleted",
      );
      return reply.code(204).send();
    },
  );

  app.get(
    "/events",
    {
      schema: {
        operationId: "listSecurityEvents",
        tags: ["me"],
        summary: "The user's sign-ins, refreshes, sign-outs and other security events, newest first",
        querystring: ListAuthEventsQuery,
        response: { 200: AuthEventPage },
      },
    },
    (request) => listAuthEvents(app.auth, request.caller, request.query),
  );
};
