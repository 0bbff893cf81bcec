import { z } from "zod";
import { DateTime, hasNoNul, Id, NO_NUL_MESSAGE } from "./common.ts";
import { StepUp } from "./mfa.ts";

/**
 * What an API token may do. A `…:write` scope includes the matching `…:read` (a script that may
 * change todos may see them); account and auth routes take no token at all.
 */
export const ApiTokenScope = z.enum(["todos:read", "todos:write", "lists:read", "lists:write"]);
export type ApiTokenScope = z.infer<typeof ApiTokenScope>;
export const API_TOKEN_SCOPES = ApiTokenScope.options;

/** The expiry a token gets when the request names none. */
export const API_TOKEN_DEFAULT_DAYS = 90;

/** `POST /api/v1/me/tokens`: a name, at least one scope, an optional expiry in the future, and the step-up proof. */
export const CreateApiToken = StepUp.extend({
  name: z.string().trim().min(1, "Give the token a name").max(100).refine(hasNoNul, NO_NUL_MESSAGE),
  scopes: z
    .array(ApiTokenScope)
    .min(1, "Choose at least one scope")
    .max(API_TOKEN_SCOPES.length)
    .refine((scopes) => new Set(scopes).size === scopes.length, "Each scope at most once"),
  /** Default: 90 days from now. */
  expiresAt: DateTime.refine((value) => Date.parse(value) > Date.now(), "Must be in the future").optional(),
});
export type CreateApiToken = z.infer<typeof CreateApiToken>;

/** A token as listed: never its secret. */
export const ApiToken = z.object({
  id: Id,
  name: z.string(),
  scopes: z.array(ApiTokenScope),
  createdAt: DateTime,
  expiresAt: DateTime,
  lastUsedAt: DateTime.nullable(),
  /** The address of the last use, as the API saw it (TRUST_PROXY). */
  lastUsedIp: z.string().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

/** The answer to creation: the only time `token` (`tvk_…`) is ever shown. */
export const CreatedApiToken = ApiToken.extend({ token: z.string() });
export type CreatedApiToken = z.infer<typeof CreatedApiToken>;

export const ApiTokenList = z.array(ApiToken);
export type ApiTokenList = z.infer<typeof ApiTokenList>;

export const ApiTokenParams = z.strictObject({ id: Id });
