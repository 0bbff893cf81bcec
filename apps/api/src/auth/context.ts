import type { ApiTokenScope } from "@taskvault/contract/api-tokens";
import type { Config } from "../config.ts";
import type { Database } from "../db/client.ts";
import type { AccessTokens } from "./access-tokens.ts";
import type { ApiTokenVerifier } from "./api-tokens.ts";
import type { OidcClient } from "./oidc.ts";
import type { RelyingParty } from "./passkeys.ts";
import type { PasswordHasher } from "./passwords.ts";
import type { RevocationList } from "./revocation.ts";
import type { KeyStore } from "./signing-keys.ts";

/** What the auth functions need; built once in app.ts and decorated onto the instance as `auth`. */
export interface AuthContext {
  db: Database;
  passwords: PasswordHasher;
  keys: KeyStore;
  accessTokens: AccessTokens;
  revocations: RevocationList;
  apiTokens: ApiTokenVerifier;
  refreshDerivationKey: Buffer;
  /** Encrypts TOTP secrets at rest, as it does the signing keys. */
  keyEncryptionKey: Buffer;
  recoveryCodeKey: Buffer;
  /** The passkey relying party: PUBLIC_URL's host and origin. */
  relyingParty: RelyingParty;
  /** Single sign-on (auth/oidc.ts); null when OIDC_ISSUER is not set. */
  oidc: OidcClient | null;
  config: Pick<
    Config,
    | "AUTH_ACCESS_TTL"
    | "AUTH_REFRESH_TTL"
    | "AUTH_SESSION_MAX_AGE"
    | "AUTH_REFRESH_REUSE_GRACE"
    | "AUTH_VERIFICATION_RESEND_SECONDS"
  >;
}

/** Who made a request: recorded on the session for the session list. */
export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

/** The authenticated caller, set on the request by the authenticate hook. */
export interface Caller {
  userId: string;
  /** The session, or for an API token the token's id (its revocations share the revoked set). */
  sessionId: string;
  /** When the access token expires (epoch seconds): long-lived event streams end then. */
  tokenExpiresAt: number;
  /** Set only for an API token: what it may do (checked against the route's declared scopes). */
  scopes?: readonly ApiTokenScope[];
}
