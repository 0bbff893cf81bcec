import { randomUUID } from "node:crypto";
import { decodeProtectedHeader, errors as joseErrors, jwtVerify, SignJWT } from "jose";
import { LRUCache } from "lru-cache";
import { AppError } from "../errors.ts";
import { isUuid } from "../ids.ts";
import { type KeyStore, SIGNING_ALGORITHM } from "./signing-keys.ts";

export const ACCESS_TOKEN_TYPE = "at+jwt";
/** Clock skew tolerated between instances and clients, in seconds (the contract allows ≤ 30). */
export const CLOCK_SKEW_SECONDS = 30;
const MAX_TOKEN_LENGTH = 4096;
/** Headers that would let a token choose its own key, or demand extensions we do not implement. */
const FORBIDDEN_HEADERS = ["jku", "x5u", "jwk", "x5c", "x5t", "x5t#S256", "crit"];

export interface AccessClaims {
  userId: string;
  sessionId: string;
  /** Expiry, epoch seconds. */
  exp: number;
}

export interface AccessTokens {
  sign(userId: string, sessionId: string): Promise<{ token: string; expiresIn: number }>;
  /** Verifies signature and claims; throws AppError("invalid_token") with the reason. */
  verify(token: string): Promise<AccessClaims>;
  /** Drops a token from the verified cache (its session was found revoked). */
  forget(token: string): void;
}

export interface AccessTokenOptions {
  keys: KeyStore;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  /** Entries of the verified-token cache. */
  cacheSize?: number;
}

export function invalidToken(detail: string): AppError {
  return new AppError("invalid_token", detail, {
    headers: { "www-authenticate": `Bearer realm="taskvault", error="invalid_token", error_description="${detail}"` },
  });
}

export function createAccessTokens(options: AccessTokenOptions): AccessTokens {
  // A verified token is cached until it expires, so a busy client costs one Ed25519 check per
  // token rather than per request. Revocation is checked after the cache (see authenticate).
  const verified = new LRUCache<string, AccessClaims>({ max: options.cacheSize ?? 10_000 });

  async function verifyUncached(token: string): Promise<AccessClaims> {
    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw invalidToken("Malformed token");
    }
    if (FORBIDDEN_HEADERS.some((name) => name in header)) throw invalidToken("Token header not accepted");
    if (header.alg !== SIGNING_ALGORITHM) throw invalidToken("Token algorithm not accepted");
    if (typeof header.kid !== "string") throw invalidToken("Token has no key id");
    const key = await options.keys.publicKey(header.kid);
    if (!key) throw invalidToken("Unknown signing key");
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [SIGNING_ALGORITHM],
        typ: ACCESS_TOKEN_TYPE,
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ["sub", "sid", "jti", "iat", "exp"],
      });
      const { sub, sid, iat, exp } = payload;
      if (!isUuid(sub) || !isUuid(sid)) {
        throw invalidToken("Token claims not accepted");
      }
      const now = Math.floor(Date.now() / 1000);
      if (typeof iat !== "number" || iat > now + CLOCK_SKEW_SECONDS) throw invalidToken("Token issued in the future");
      return { userId: sub, sessionId: sid, exp: exp as number };
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw invalidToken("Token expired");
      throw invalidToken("Token not accepted");
    }
  }

  return {
    async sign(userId, sessionId) {
      const { kid, privateKey } = options.keys.current();
      const now = Math.floor(Date.now() / 1000);
      const token = await new SignJWT({ sid: sessionId })
        .setProtectedHeader({ alg: SIGNING_ALGORITHM, typ: ACCESS_TOKEN_TYPE, kid })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(userId)
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + options.ttlSeconds)
        .sign(privateKey);
      return { token, expiresIn: options.ttlSeconds };
    },
    async verify(token) {
      if (token.length > MAX_TOKEN_LENGTH) throw invalidToken("Token too long");
      const cached = verified.get(token);
      if (cached) {
        if (cached.exp + CLOCK_SKEW_SECONDS > Date.now() / 1000) return cached;
        verified.delete(token);
        throw invalidToken("Token expired");
      }
      const claims = await verifyUncached(token);
      verified.set(token, claims);
      return claims;
    },
    forget(token) {
      verified.delete(token);
    },
  };
}
