import { z } from "zod";
import { DateTime, Id } from "./common.ts";

/** What happened to an account; `refresh_token_reused` means a spent refresh token came back (likely theft). */
export const AuthEventType = z.enum([
  "signed_up",
  "signed_in",
  "sign_in_failed",
  "refreshed",
  "refresh_token_reused",
  "signed_out",
  "signed_out_everywhere",
  "password_changed",
  "password_reset",
  "email_verified",
  "email_change_requested",
  "email_changed",
  "session_revoked",
  "totp_enabled",
  "totp_disabled",
  "recovery_codes_generated",
  "recovery_code_used",
  "passkey_added",
  "passkey_renamed",
  "passkey_removed",
  "second_factor_failed",
  "api_token_created",
  "api_token_revoked",
  "sso_sign_in_failed",
  "sso_linked",
  "sso_unlinked",
]);
export type AuthEventType = z.infer<typeof AuthEventType>;

export const AuthEvent = z.object({
  id: Id,
  type: AuthEventType,
  createdAt: DateTime,
  /** The session concerned: the one acting, or for `session_revoked` the one ended. */
  sessionId: Id.nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type AuthEvent = z.infer<typeof AuthEvent>;

export const ListAuthEventsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  /** Opaque, from `nextCursor`. */
  cursor: z.string().max(100).optional(),
});
export type ListAuthEventsQuery = z.infer<typeof ListAuthEventsQuery>;

/** Newest first. */
export const AuthEventPage = z.object({
  items: z.array(AuthEvent),
  nextCursor: z.string().nullable(),
});
export type AuthEventPage = z.infer<typeof AuthEventPage>;
