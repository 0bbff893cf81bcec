// /api/v1/me – the signed-in user's profile, password, account and security trail
import {
  Accepted,
  ChangeEmail,
  ChangePassword,
  DeleteMe,
  Preferences,
  UpdateMe,
  UpdatePreferences,
  User,
} from "@taskvault/contract/auth";
import { AuthEventPage, ListAuthEventsQuery } from "@taskvault/contract/events";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { clientInfo } from "../http/client-info.ts";
import { changePassword, deleteAccount, getMe, getPreferences, updateMe, updatePreferences } from "./accounts.ts";
import { requestEmailChange, resendVerification } from "./email-verification.ts";
import { listAuthEvents } from "./events.ts";
import { STEP_UP_PROOF_NOTE } from "./step-up.ts";

const tags = ["me"];

export const meRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/",
    {
      config: { unverifiedEmail: "allowed" },
      schema: { operationId: "getMe", tags, summary: "The signed-in user", response: { 200: User } },
    },
    (request) => getMe(app.auth, request.caller),
  );

  app.get(
    "/preferences",
    {
      schema: {
        operationId: "getPreferences",
        tags,
        summary: "The user's preferences: time zone and email reminders",
        response: { 200: Preferences },
      },
    },
    (request) => getPreferences(app.auth, request.caller),
  );

  app.patch(
    "/preferences",
    {
      schema: {
        operationId: "updatePreferences",
        tags,
        summary: "Change preferences: with emailReminders on, each todo's remindAt also sends an email",
        body: UpdatePreferences,
        response: { 200: Preferences },
      },
    },
    (request) => updatePreferences(app.auth, request.caller, request.body),
  );

  app.post(
    "/email/verification",
    {
      config: { unverifiedEmail: "allowed" },
      schema: {
        operationId: "resendVerification",
        tags,
        summary: "Send a fresh verification link (one a minute: 429 with Retry-After)",
        response: { 202: Accepted },
      },
    },
    async (request, reply) => reply.code(202).send(await resendVerification(app.auth, request.caller)),
  );

  app.put(
    "/email",
    {
      config: { stepUp: true },
      schema: {
        operationId: "changeEmail",
        tags,
        summary: "Change the email address: a confirmation link goes to the new one, a notice to the current one",
        description:
          "The address changes when POST /auth/email/verify gets the link's token. 401 for a wrong password, 409 if the address is taken. " +
          STEP_UP_PROOF_NOTE,
        body: ChangeEmail,
        response: { 202: Accepted },
      },
    },
    async (request, reply) =>
      reply.code(202).send(await requestEmailChange(app.auth, request.caller, request.body, clientInfo(request))),
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
      config: { stepUp: true },
      schema: {
        operationId: "changePassword",
        tags,
        summary: "Change the password; every other session ends",
        description:
          "Needs `currentPassword`; an account without a password sets its first one, confirming with `code`, " +
          "`recoveryCode` or a passkey (`challengeId`, `response`) when it has a second factor.",
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
    {
      config: { stepUp: true, unverifiedEmail: "allowed" },
      schema: {
        operationId: "deleteAccount",
        tags,
        summary: "Delete the account and all its data",
        description: STEP_UP_PROOF_NOTE,
        body: DeleteMe,
      },
    },
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
