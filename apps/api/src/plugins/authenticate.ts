import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { invalidToken } from "../auth/access-tokens.ts";
import type { AuthContext, Caller } from "../auth/context.ts";
import { AppError } from "../errors.ts";

declare module "fastify" {
  interface FastifyInstance {
    auth: AuthContext;
    /** onRequest hook for protected routes: sets `request.caller` or answers 401. */
    authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
  interface FastifyRequest {
    /** Set by `authenticate`; only read it in routes that use that hook. */
    caller: Caller;
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
    const claims = await accessTokens.verify(token);
    if (revocations.isRevoked(claims.sessionId)) {
      accessTokens.forget(token);
      throw invalidToken("Session has ended");
    }
    request.caller = { userId: claims.userId, sessionId: claims.sessionId, tokenExpiresAt: claims.exp };
  });
});
