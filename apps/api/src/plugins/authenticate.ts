import type { ApiTokenScope } from "@taskvault/contract/api-tokens";
import { eq } from "drizzle-orm";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { LRUCache } from "lru-cache";
import { invalidToken } from "../auth/access-tokens.ts";
import { looksLikeApiToken } from "../auth/api-tokens.ts";
import type { AuthContext, Caller } from "../auth/context.ts";
import { users } from "../db/schema.ts";
import { AppError } from "../errors.ts";
import { bearerSecurity, publicSecurity } from "./openapi.ts";
import { prependRouteHook } from "./route-hooks.ts";

declare module "fastify" {
  interface FastifyInstance {
    auth: AuthContext;
    /** Sets `request.caller` or answers 401; `protectRoutes` puts it on every protected route. */
    authenticate(request: FastifyRequest): Promise<void>;
    /** Answers 403 email_unverified unless the caller's address is verified (AUTH_REQUIRE_VERIFIED_EMAIL). */
    requireVerifiedEmail(request: FastifyRequest): Promise<void>;
  }
  interface FastifyRequest {
    /** The authenticated caller: set on every route that is not declared public. */
    caller: Caller;
  }
  interface FastifyContextConfig {
    /**
     * Who may call the route. Routes inside a `protectRoutes` scope need a session's access token
     * unless they say `auth: "public"` (sign-up, sign-in, refresh): forgetting it fails closed.
     */
    auth?: "public";
    /**
     * With AUTH_REQUIRE_VERIFIED_EMAIL=true, protected routes answer 403 email_unverified until the
     * address is verified, except those that say `unverifiedEmail: "allowed"` (GET /me, resending
     * the link, signing out, deleting the account).
     */
    unverifiedEmail?: "allowed";
    /**
     * The API-token scopes the route needs (all of them; a `…:write` scope includes its `…:read`).
     * A protected route without this declaration refuses API tokens with 403 `forbidden`: account
     * and auth routes never declare it. Sessions' access tokens are not scoped. Decision 024.
     */
    scopes?: readonly ApiTokenScope[];
  }
}

const BEARER = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i;

/**
 * Authentication costs no database round trip: the token's signature and claims are checked
 * (and cached until expiry), then its session is looked up in the in-memory revoked set.
 */
export const authenticatePlugin = fp(async (app: FastifyInstance, options: { auth: AuthContext }) => {
  const { accessTokens, revocations } = options.auth;
  app.decorate("auth", options.auth);
  app.decorateRequest("caller", null as unknown as Caller);
  app.decorate("authenticate", async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    if (!header) throw new AppError("unauthorized", "Send an access token: Authorization: Bearer <token>");
    const token = BEARER.exec(header)?.[1];
    if (!token) throw invalidToken("Authorization header is not a Bearer token");
    if (looksLikeApiToken(token)) {
      const granted = await options.auth.apiTokens.verify(token, request.ip ?? null);
      request.caller = {
        userId: granted.userId,
        sessionId: granted.id,
        tokenExpiresAt: Math.floor(granted.expiresAt / 1000),
        scopes: granted.scopes,
      };
      return;
    }
    const claims = await accessTokens.verify(token);
    if (revocations.isRevoked(claims.sessionId)) {
      accessTokens.forget(token);
      throw invalidToken("Session has ended");
    }
    request.caller = { userId: claims.userId, sessionId: claims.sessionId, tokenExpiresAt: claims.exp };
  });

  // Verified stays verified (a new address is verified by the very link that sets it), so a yes is
  // remembered and only unverified callers cost a lookup.
  const verified = new LRUCache<string, true>({ max: 100_000 });
  app.decorate("requireVerifiedEmail", async (request: FastifyRequest) => {
    const { userId } = request.caller;
    if (verified.has(userId)) return;
    const [user] = await options.auth.db
      .select({ verifiedAt: users.emailVerifiedAt })
      .from(users)
      .where(eq(users.id, userId));
    if (!user?.verifiedAt) {
      throw new AppError("email_unverified", "Verify your email address first: follow the link we sent you");
    }
    verified.set(userId, true);
  });
});

const includes = (granted: readonly ApiTokenScope[], needed: ApiTokenScope) =>
  granted.includes(needed) ||
  (needed.endsWith(":read") && granted.includes(needed.replace(":read", ":write") as ApiTokenScope));

/**
 * The check an API token meets on one route, built once when the route is declared: a session's
 * access token passes, a token lacking a declared scope gets RFC 6750 §3.1 `insufficient_scope`,
 * and a route that declares no scopes refuses tokens altogether.
 */
function scopeCheck(needed: readonly ApiTokenScope[] | undefined) {
  const challenge = needed && `Bearer realm="taskvault", error="insufficient_scope", scope="${needed.join(" ")}"`;
  return async (request: FastifyRequest) => {
    const granted = request.caller.scopes;
    if (!granted) return;
    if (!needed || !challenge) {
      throw new AppError("forbidden", "API tokens cannot be used here: sign in to manage the account");
    }
    const missing = needed.filter((scope) => !includes(granted, scope));
    if (missing.length > 0) {
      throw new AppError("insufficient_scope", `The API token lacks the scope ${missing.join(", ")}`, {
        headers: { "www-authenticate": challenge },
      });
    }
  };
}

/**
 * Every route declared in `scope` (and the scopes inside it) from now on authenticates first,
 * unless it is declared `config: { auth: "public" }`; its OpenAPI `security` says which.
 * Called once, around the API's prefixes (app.ts), so a new route is protected by default.
 */
export function protectRoutes(scope: FastifyInstance, options: { requireVerifiedEmail: boolean }): void {
  scope.addHook("onRoute", (route) => {
    // The route object is also what the OpenAPI plugin documents, so the schema is changed in place.
    if (route.config?.auth === "public") {
      route.schema = { ...route.schema, security: publicSecurity };
      return;
    }
    route.schema = { ...route.schema, security: bearerSecurity };
    if (options.requireVerifiedEmail && route.config?.unverifiedEmail !== "allowed") {
      prependRouteHook(route, "onRequest", scope.requireVerifiedEmail);
    }
    prependRouteHook(route, "onRequest", scopeCheck(route.config?.scopes));
    prependRouteHook(route, "onRequest", scope.authenticate);
  });
}
