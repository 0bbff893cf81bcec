// /api/v1/auth/* – sign-up, sign-in, refresh, sign-out and the session list
import { Refresh, Session, SessionList, SessionParams, SignIn, SignUp } from "@taskvault/contract/auth";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { clientInfo } from "../http/client-info.ts";
import { signUp } from "./accounts.ts";
import { listSessions, refreshSession, revokeOwnSession, signIn, signOut, signOutEverywhere } from "./sessions.ts";

const tags = ["auth"];

export const authRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    "/signup",
    {
      config: { auth: "public", throttle: "signUp" },
      schema: {
        operationId: "signUp",
        tags,
        summary: "Create an account and a session",
        body: SignUp,
        response: { 201: Session },
      },
    },
    async (request, reply) => reply.code(201).send(await signUp(app.auth, request.body, clientInfo(request))),
  );

  app.post(
    "/signin",
    {
      config: { auth: "public", throttle: "signIn" },
      schema: {
        operationId: "signIn",
        tags,
        summary: "Sign in with email and password",
        body: SignIn,
        response: { 200: Session },
      },
    },
    async (request) => signIn(app.auth, request.body, clientInfo(request)),
  );

  app.post(
    "/refresh",
    {
      config: { auth: "public", throttle: "refresh" },
      schema: {
        operationId: "refreshSession",
        tags,
        summary: "Exchange a refresh token for a new access token and a new refresh token",
        body: Refresh,
        response: { 200: Session },
      },
    },
    async (request) => refreshSession(app.auth, request.body.refreshToken, clientInfo(request)),
  );

  // The routes of a signed-in user's own sessions.
  app.post(
    "/signout",
    { schema: { operationId: "signOut", tags, summary: "End this session" } },
    async (request, reply) => {
      await signOut(app.auth, request.caller, clientInfo(request));
      return reply.code(204).send();
    },
  );

  app.post(
    "/signout-all",
    { schema: { operationId: "signOutEverywhere", tags, summary: "End every session of the user, this one too" } },
    async (request, reply) => {
      await signOutEverywhere(app.auth, request.caller, clientInfo(request));
      return reply.code(204).send();
    },
  );

  app.get(
    "/sessions",
    {
      schema: {
        operationId: "listSessions",
        tags,
        summary: "The user's live sessions",
        response: { 200: SessionList },
      },
    },
    async (request) => listSessions(app.auth, request.caller),
  );

  app.delete(
    "/sessions/:id",
    { schema: { operationId: "endSession", tags, summary: "End one of the user's sessions", params: SessionParams } },
    async (request, reply) => {
      await revokeOwnSession(app.auth, request.caller, request.params.id, clientInfo(request));
      return reply.code(204).send();
    },
  );
};
