import { z } from "zod";
import { DateTime } from "./common.ts";

/**
 * Single sign-on with one OpenID Connect provider (issue 17). The API runs the protocol (it holds
 * the client secret); a client starts a flow, sends the person to `authorizationUrl`, and hands
 * the redirect back to the callback. `binding` ties the flow to the browser that started it: the
 * web app keeps a random value in an HttpOnly cookie and sends it with both calls.
 */

/** `GET /api/v1/auth/oidc`: whether single sign-on is on, and the button's label. */
export const OidcConfig = z.object({
  enabled: z.boolean(),
  name: z.string(),
});
export type OidcConfig = z.infer<typeof OidcConfig>;

/** A browser-binding value: ≥ 128 random bits, base64url. */
const Binding = z
  .string()
  .min(22)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, "base64url");

/** `POST /api/v1/auth/oidc/start`. */
export const OidcStart = z.strictObject({ binding: Binding.optional() });
export type OidcStart = z.infer<typeof OidcStart>;

export const OidcStarted = z.object({
  /** Send the person here (a GET in the browser). */
  authorizationUrl: z.string(),
  /** Seconds the flow stays open. */
  expiresIn: z.number().int(),
});
export type OidcStarted = z.infer<typeof OidcStarted>;

/**
 * `POST /api/v1/auth/oidc/callback`: the full redirect URL the provider sent the browser to
 * (`PUBLIC_URL/auth/oidc/callback?code=…&state=…&iss=…`, or `?error=…&state=…`).
 */
export const OidcCallback = z.strictObject({
  callbackUrl: z.string().max(8192),
  binding: Binding.optional(),
});
export type OidcCallback = z.infer<typeof OidcCallback>;

/**
 * The extra members of the 409 `oidc_link_required` problem: an account already uses the
 * provider's email. Sign in to it, then `POST /me/oidc/link {linkTicket, binding}` within 10 minutes.
 */
export const OidcLinkRequired = z.object({
  email: z.string(),
  linkTicket: z.string(),
  expiresIn: z.number().int(),
});
export type OidcLinkRequired = z.infer<typeof OidcLinkRequired>;

/** `POST /api/v1/me/oidc/link`. */
export const LinkOidc = z.strictObject({
  linkTicket: z.string().min(1).max(256),
  binding: Binding.optional(),
});
export type LinkOidc = z.infer<typeof LinkOidc>;

/** `GET /api/v1/me/oidc`: the provider linked to the account, if any. */
export const OidcLinkStatus = z.object({
  enabled: z.boolean(),
  name: z.string(),
  /**
   * Whether the account has a password. One made by single sign-on has none: its step-ups (an API
   * token, removing a factor, …) are confirmed with `code` or `recoveryCode` instead.
   */
  hasPassword: z.boolean(),
  link: z
    .object({
      /** The provider's email for the person when the link was made or last used. */
      email: z.string().nullable(),
      createdAt: DateTime,
      lastUsedAt: DateTime.nullable(),
    })
    .nullable(),
});
export type OidcLinkStatus = z.infer<typeof OidcLinkStatus>;
