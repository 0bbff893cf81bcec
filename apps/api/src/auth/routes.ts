// /api/v1/auth/* – sign-up, sign-in, refresh, sign-out, the session list, email links and password reset
import {
  Accepted,
  AuthConfig,
  ForgotPassword,
  Refresh,
  ResetPassword,
  Session,
  SessionList,
  SessionParams,
  SignIn,
  SignUp,
  User,
  VerifyEmail,
} from "@taskvault/contract/auth";
import { MfaRequired, PasskeySignIn, PasskeySignInOptions, SignInMfa } from "@taskvault/contract/mfa";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { AppError } from "../errors.ts";
import { clientInfo } from "../http/client-info.ts";
import { signUp } from "./accounts.ts";
import { verifyEmail } from "./email-verification.ts";
import { createAuthenticationOptions } from "./passkeys.ts";
import { requestPasswordReset, resetPassword } from "./recovery.ts";
import { listSessions, refreshSession, revokeOwnSession, signOut, signOutEverywhere } from "./sessions.ts";
import { signInWithPasskey, signInWithPassword, signInWithSecondFactor } from "./sign-in.ts";

const tags = ["auth"];

export const authRoutes: FastifyPluginAsyncZod<{ signup: "open" | "closed" }> = async (app, options) => {
  app.post(
    "/signup",
    {
      config: { auth: "public", throttle: "signUp" },
      schema: {
        operationId: "signUp",
        tags,
        summary: "Create an account and a session; a verification link goes to the address",
        description: "403 `signup_closed` when the deployment runs with AUTH_SIGNUP=closed.",
        body: SignUp,
        response: { 201: Session },
      },
      // Before the body is read: a closed door says so whatever was sent.
      onRequest: async () => {
        if (options.signup === "closed")
          throw new AppError("signup_closed", "This server does not accept new accounts");
      },
    },
    async (request, reply) => reply.code(201).send(await signUp(app.auth, request.body, clientInfo(request))),
  );

  app.get(
    "/config",
    {
      config: { auth: "public" },
      schema: {
        // The web app's sign-in page reads it (AUTH_SIGNUP=closed: no sign-up offered); it is not
        // part of the public contract, so the OpenAPI document leaves it out.
        hide: true,
        operationId: "getAuthConfig",
        tags,
        summary: "What a sign-in page should offer: whether this server accepts new accounts",
        response: { 200: AuthConfig },
      },
    },
    async () => ({ signup: options.signup }),
  );

  app.post(
    "/signin",
    {
      config: { auth: "public", throttle: "signIn" },
      schema: {
        operationId: "signIn",
        tags,
        summary: "Sign in with email and password",
        description:
          "An account with a second factor gets `{mfaRequired: true, mfaToken, methods}` and no token: " +
          "finish with POST /auth/signin/mfa within 5 minutes, from the same client.",
        body: SignIn,
        response: { 200: Session.or(MfaRequired) },
      },
    },
    async (request) => signInWithPassword(app.auth, request.body, clientInfo(request)),
  );

  app.post(
    "/signin/mfa",
    {
      config: { auth: "public", throttle: "signIn" },
      schema: {
        operationId: "signInSecondStep",
        tags,
        summary: "The second step of a sign-in: a TOTP code, a recovery code or a passkey",
        description:
          "`{mfaToken, code}`, `{mfaToken, recoveryCode}`, or `{mfaToken, challengeId, response}` with an " +
          "assertion made on a challenge from POST /auth/passkey/options. A wrong or replayed code is 401 " +
          "`invalid_code`; the mfaToken dies after 5 attempts or 5 minutes (401 `invalid_mfa_token`).",
        body: SignInMfa,
        response: { 200: Session },
      },
    },
    async (request) => signInWithSecondFactor(app.auth, request.body, clientInfo(request)),
  );

  app.post(
    "/passkey/options",
    {
      config: { auth: "public", throttle: "challenge" },
      schema: {
        operationId: "passkeySignInOptions",
        tags,
        summary: "A challenge for signing in with a passkey (single use, 5 minutes)",
        response: { 200: PasskeySignInOptions },
      },
    },
    async () => createAuthenticationOptions(app.auth.db, app.auth.relyingParty),
  );

  app.post(
    "/passkey",
    {
      config: { auth: "public", throttle: "signIn" },
      schema: {
        operationId: "signInWithPasskey",
        tags,
        summary: "Sign in with a passkey alone: no password and no further factor",
        body: PasskeySignIn,
        response: { 200: Session },
      },
    },
    async (request) => signInWithPasskey(app.auth, request.body, clientInfo(request)),
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

  app.post(
    "/email/verify",
    {
      config: { auth: "public" },
      schema: {
        operationId: "verifyEmail",
        tags,
        summary: "Spend a link's token: confirms the sign-up's address, or moves the account to a new address",
        description:
          "400 `invalid_token` for an unknown, spent, superseded or expired token; 409 `email_taken` when the new address was taken meanwhile.",
        body: VerifyEmail,
        response: { 200: User },
      },
    },
    async (request) => verifyEmail(app.auth, request.body.token, clientInfo(request)),
  );

  app.post(
    "/password/forgot",
    {
      config: { auth: "public", throttle: "forgotPassword" },
      schema: {
        operationId: "forgotPassword",
        tags,
        summary: "Ask for a password-reset link; the same answer whether or not an account uses the address",
        body: ForgotPassword,
        response: { 202: Accepted },
      },
    },
    async (request, reply) => reply.code(202).send(await requestPasswordReset(app.auth, request.body)),
  );

  app.post(
    "/password/reset",
    {
      config: { auth: "public", throttle: "resetPassword" },
      schema: {
        operationId: "resetPassword",
        tags,
        summary: "Set a new password with a reset link's token; every session of the account ends",
        description: "400 `invalid_token` for an unknown, spent, superseded or expired token.",
        body: ResetPassword,
      },
    },
    async (request, reply) => {
      await resetPassword(app.auth, request.body, clientInfo(request));
      return reply.code(204).send();
    },
  );

  // The routes of a signed-in user's own sessions; signing out stays open to an unverified address.
  app.post(
    "/signout",
    { config: { unverifiedEmail: "allowed" }, schema: { operationId: "signOut", tags, summary: "End this session" } },
    async (request, reply) => {
      await signOut(app.auth, request.caller, clientInfo(request));
      return reply.code(204).send();
    },
  );

  app.post(
    "/signout-all",
    {
      config: { unverifiedEmail: "allowed" },
      schema: { operationId: "signOutEverywhere", tags, summary: "End every session of the user, this one too" },
    },
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
