/**
 * The OpenID Connect relying party (issue 17): OpenID Connect Core 1.0 §3.1, the authorization
 * code flow, as a confidential client (client_secret_basic) with
 * - PKCE S256 (RFC 7636 §4.2), `state` (RFC 6749 §10.12) and `nonce` (Core §3.1.2.1), generated
 *   here and kept server-side in `oidc_flows`: single use (the callback deletes the row it spends),
 *   10 minutes, and bound to the browser that started the flow (the hash of a random value the web
 *   app keeps in an HttpOnly cookie), so a code injected into someone else's browser is refused;
 * - the authorization response's `iss` (RFC 9207) compared with the discovered issuer, against
 *   mix-up;
 * - the ID token validated by openid-client 6 as Core §3.1.3.7 lays out: issuer, audience (and
 *   azp), signature against the provider's JWKS, expiry and issued-at, and the nonce (step 11).
 * Discovery (OpenID Connect Discovery 1.0 §4) runs on first use and again after a failure, so an
 * API that starts while the provider is down recovers on its own.
 */
import { createHash } from "node:crypto";
import type { OidcStarted } from "@taskvault/contract/oidc";
import { lt, sql } from "drizzle-orm";
import * as client from "openid-client";
import type { Config } from "../config.ts";
import type { Executor } from "../db/client.ts";
import { rowsOf } from "../db/rows.ts";
import { oidcFlows } from "../db/schema.ts";
import { AppError } from "../errors.ts";

/** How long a started flow (and a link ticket) stays usable. */
export const OIDC_FLOW_TTL_MS = 10 * 60 * 1000;
const SCOPE = "openid email profile";
const DISCOVERY_TIMEOUT_S = 10;

/** Who the provider says signed in, after every check passed. */
export interface OidcIdentity {
  issuer: string;
  subject: string;
  /** Trimmed and lower-cased; null when the provider shared none. */
  email: string | null;
  emailVerified: boolean;
  name: string;
  /** RFC 8176 authentication method references, as the provider reported them. */
  amr: string[];
}

export interface OidcClient {
  name: string;
  redirectUri: string;
  start(db: Executor, binding: string | undefined): Promise<OidcStarted>;
  finish(db: Executor, callbackUrl: string, binding: string | undefined): Promise<OidcIdentity>;
}

export const hashBinding = (binding: string | undefined) =>
  binding === undefined ? null : createHash("sha256").update(binding).digest("base64url");
const hashState = (state: string) => createHash("sha256").update(state).digest("base64url");

const invalidState = () =>
  new AppError("invalid_state", "This sign-in attempt is unknown, was already used or has expired; start again");
const failed = (detail: string) => new AppError("oidc_failed", detail);

interface FlowRow {
  nonce: string;
  code_verifier: string;
  binding_hash: string | null;
  expires_at: Date | string;
}

/** Null when OIDC_ISSUER is not set: single sign-on is off. */
export function createOidcClient(
  config: Pick<Config, "OIDC_ISSUER" | "OIDC_CLIENT_ID" | "OIDC_CLIENT_SECRET" | "OIDC_NAME" | "PUBLIC_URL">,
  log: (message: string, error: unknown) => void,
): OidcClient | null {
  const { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: clientId, OIDC_CLIENT_SECRET: secret } = config;
  if (!issuer || !clientId || !secret) return null;
  const redirectUri = `${config.PUBLIC_URL}/auth/oidc/callback`;

  let discovered: Promise<client.Configuration> | null = null;
  const configuration = () => {
    discovered ??= client
      .discovery(new URL(issuer), clientId, undefined, client.ClientSecretBasic(secret), {
        // Plain HTTP only when the operator configured an http:// issuer (config.ts refuses one in
        // production unless it is on this machine).
        execute: new URL(issuer).protocol === "http:" ? [client.allowInsecureRequests] : [],
        timeout: DISCOVERY_TIMEOUT_S,
      })
      .catch((error: unknown) => {
        discovered = null;
        log("OpenID provider discovery failed", error);
        throw new AppError("service_unavailable", "The sign-in provider cannot be reached; try again shortly", {
          headers: { "retry-after": "5" },
        });
      });
    return discovered;
  };

  return {
    name: config.OIDC_NAME,
    redirectUri,

    async start(db, binding) {
      const provider = await configuration();
      const state = client.randomState();
      const nonce = client.randomNonce();
      const codeVerifier = client.randomPKCECodeVerifier();
      const now = Date.now();
      // Abandoned flows go here rather than in a timer (by the expiry index).
      await db.delete(oidcFlows).where(lt(oidcFlows.expiresAt, new Date(now)));
      await db.insert(oidcFlows).values({
        stateHash: hashState(state),
        nonce,
        codeVerifier,
        bindingHash: hashBinding(binding),
        expiresAt: new Date(now + OIDC_FLOW_TTL_MS),
      });
      const url = client.buildAuthorizationUrl(provider, {
        redirect_uri: redirectUri,
        scope: SCOPE,
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: "S256",
      });
      return { authorizationUrl: url.href, expiresIn: OIDC_FLOW_TTL_MS / 1000 };
    },

    async finish(db, callbackUrl, binding) {
      // Only the query counts: the redirect URI is ours, whatever host the relay saw.
      let params: URLSearchParams;
      try {
        params = new URL(callbackUrl, redirectUri).searchParams;
      } catch {
        throw invalidState();
      }
      const state = params.get("state");
      if (!state) throw invalidState();
      // Spent by this statement whatever happens next: a state is good for one try.
      const [flow] = rowsOf<FlowRow>(
        await db.execute(sql`
          delete from oidc_flows where state_hash = ${hashState(state)}
          returning nonce, code_verifier, binding_hash, expires_at`),
      );
      if (!flow || new Date(flow.expires_at).getTime() <= Date.now()) throw invalidState();
      if (flow.binding_hash !== hashBinding(binding)) throw invalidState();

      const error = params.get("error");
      if (error) {
        const description = params.get("error_description");
        throw failed(
          error === "access_denied"
            ? "Sign-in was cancelled at the provider"
            : `The provider refused the sign-in (${error}${description ? `: ${description.slice(0, 200)}` : ""})`,
        );
      }

      const provider = await configuration();
      const currentUrl = new URL(redirectUri);
      currentUrl.search = params.toString();
      let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
      try {
        tokens = await client.authorizationCodeGrant(provider, currentUrl, {
          pkceCodeVerifier: flow.code_verifier,
          expectedState: state,
          expectedNonce: flow.nonce,
          idTokenExpected: true,
        });
      } catch (cause) {
        log("OpenID sign-in refused", cause);
        throw failed("The provider's answer could not be verified; sign in again");
      }
      const claims = tokens.claims();
      if (!claims) throw failed("The provider sent no ID token");

      // Core §5.3.2: the UserInfo's sub must be the ID token's (openid-client checks it).
      let profile: Record<string, unknown> = claims;
      if (typeof claims.email !== "string" && tokens.access_token) {
        try {
          profile = { ...(await client.fetchUserInfo(provider, tokens.access_token, claims.sub)), ...claims };
        } catch (cause) {
          log("OpenID UserInfo request failed", cause);
          throw failed("The provider's profile could not be read; sign in again");
        }
      }
      const email = typeof profile.email === "string" ? profile.email.trim().toLowerCase() : "";
      const name =
        typeof profile.name === "string"
          ? profile.name
          : typeof profile.preferred_username === "string"
            ? profile.preferred_username
            : "";
      return {
        issuer: claims.iss,
        subject: claims.sub,
        email: email.length > 0 && email.length <= 254 && email.includes("@") ? email : null,
        // Some providers send "true" as a string.
        emailVerified: profile.email_verified === true || profile.email_verified === "true",
        name: name.trim().slice(0, 100),
        amr: Array.isArray(claims.amr) ? claims.amr.filter((value): value is string => typeof value === "string") : [],
      };
    },
  };
}
