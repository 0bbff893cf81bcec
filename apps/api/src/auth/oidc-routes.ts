// /api/v1/auth/oidc/* and /api/v1/me/oidc/* – single sign-on with the configured OpenID provider, and the account's link to it
import { Session } from "@taskvault/contract/auth";
import { MfaRequired } from "@taskvault/contract/mfa";
import { LinkOidc, OidcCallback, OidcConfig, OidcLinkStatus, OidcStart, OidcStarted } from "@taskvault/contract/oidc";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { clientInfo } from "../http/client-info.ts";
import { finishOidcSignIn, getOidcLink, linkOidc, oidcOf, startOidcSignIn, unlinkOidc } from "./oidc-accounts.ts";

const tags = ["single sign-on"];

export const oidcRoutes: FastifyPluginAsyncZod<{ signup: "open" | "closed" }> = async (app, options) => {
  app.get(
    "/",
    {
      config: { auth: "public", problems: { 404: "Single sign-on is not configured on this server (`not_found`)" } },
      schema: {
        operationId: "getOidcConfig",
        tags,
        summary: "The single sign-on provider's name for the button; 404 when single sign-on is off",
        response: { 200: OidcConfig },
      },
    },
    async () => ({ enabled: true, name: oidcOf(app.auth).name }),
  );

  app.post(
    "/start",
    {
      config: {
        auth: "public",
        throttle: "challenge",
        problems: {
          404: "Single sign-on is not configured (`not_found`)",
          503: "The provider cannot be discovered right now; Retry-After (`service_unavailable`)",
        },
      },
      schema: {
        operationId: "startOidcSignIn",
        tags,
        summary: "Start a sign-in at the provider: where to send the browser",
        description:
          "Generates `state`, `nonce` and a PKCE S256 verifier and keeps them server-side for 10 minutes, single use. " +
          "`binding` (≥ 128 random bits, base64url, kept by the client, e.g. in an HttpOnly cookie) ties the flow to " +
          "the browser: the callback must present the same value. The redirect URI is PUBLIC_URL/auth/oidc/callback. " +
          "404 `not_found` when single sign-on is not configured; 503 while the provider cannot be discovered.",
        body: OidcStart,
        response: { 200: OidcStarted },
      },
    },
    async (request) => startOidcSignIn(app.auth, request.body),
  );

  app.post(
    "/callback",
    {
      config: {
        auth: "public",
        throttle: "signIn",
        problems: {
          400: "Unknown, replayed or expired `state`, or another browser's `binding` (`invalid_state`)",
          401: "The provider refused, or its answer failed a check (`oidc_failed`)",
          403: "A new person while AUTH_SIGNUP=closed (`signup_closed`)",
          404: "Single sign-on is not configured (`not_found`)",
          409: "An unlinked account uses the provider's email (`oidc_link_required`, with `email`, `linkTicket`, `expiresIn`)",
        },
      },
      schema: {
        operationId: "finishOidcSignIn",
        tags,
        summary: "Finish a sign-in with the provider's redirect: a session, or the second step",
        description:
          "`callbackUrl` is the URL the provider redirected the browser to (only its query is read). Answers like " +
          "POST /auth/signin: a `Session`, or `{mfaRequired, mfaToken, methods}` when the account has a second factor " +
          "and the ID token's `amr` reports none (finish with POST /auth/signin/mfa). Errors: 400 `invalid_state` " +
          "(unknown, replayed or expired `state`, or another browser's `binding`); 401 `oidc_failed` (the provider " +
          "answered with an error, or its answer failed a check: issuer, audience, signature, expiry, nonce, PKCE); " +
          "409 `oidc_link_required` when an unlinked account uses the provider's email — nobody is signed in, and the " +
          "problem carries `email`, `linkTicket` and `expiresIn` for POST /me/oidc/link after signing in to that " +
          "account; 403 `signup_closed` for a new person while AUTH_SIGNUP=closed.",
        body: OidcCallback,
        response: { 200: Session.or(MfaRequired) },
      },
    },
    async (request) => finishOidcSignIn(app.auth, request.body, clientInfo(request), options.signup),
  );
};

export const oidcMeRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    "/oidc",
    {
      schema: {
        operationId: "getOidcLink",
        tags,
        summary: "The provider account linked to this account, if any",
        response: { 200: OidcLinkStatus },
      },
    },
    (request) => getOidcLink(app.auth, request.caller),
  );

  app.post(
    "/oidc/link",
    {
      config: {
        problems: {
          400: "Unknown, spent, expired or another browser's link ticket (`invalid_state`)",
          403: "A session older than the ticket (`forbidden`), or the email is not verified (`email_unverified`)",
          409: "A provider account is already linked (`conflict`)",
        },
      },
      schema: {
        operationId: "linkOidc",
        tags,
        summary: "Link the provider account of a refused single sign-on (its link ticket) to this account",
        description:
          "Needs a session opened after the ticket was issued, with the account's own credentials (password and " +
          "second factor, or a passkey), from the browser the ticket was issued to (same `binding`). 400 " +
          "`invalid_state` for an unknown, spent, expired or other browser's ticket; 403 `forbidden` for an older " +
          "session; 403 `email_unverified` while the account's email is not verified; 409 `conflict` if a link " +
          "exists. A security notice goes to the account's address.",
        body: LinkOidc,
        response: { 200: OidcLinkStatus },
      },
    },
    (request) => linkOidc(app.auth, request.caller, request.body, clientInfo(request)),
  );

  app.delete(
    "/oidc",
    {
      config: {
        problems: {
          404: "Nothing is linked (`not_found`)",
          409: "Neither a password nor a passkey would be left (`last_way_in`)",
        },
      },
      schema: {
        operationId: "unlinkOidc",
        tags,
        summary: "Unlink the provider: it no longer signs in to this account",
        description:
          "409 `last_way_in` while the account has neither a password nor a passkey; 404 when nothing is linked. " +
          "A security notice goes to the account's address.",
      },
    },
    async (request, reply) => {
      await unlinkOidc(app.auth, request.caller, clientInfo(request));
      return reply.code(204).send();
    },
  );
};
