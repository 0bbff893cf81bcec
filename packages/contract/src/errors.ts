import { z } from "zod";

/** The stable `code` values a client may branch on. */
export const ErrorCode = z.enum([
  "bad_request",
  "invalid_json",
  "invalid_query",
  "unauthorized",
  "invalid_token",
  "invalid_credentials",
  "invalid_refresh_token",
  "invalid_code",
  "invalid_mfa_token",
  "forbidden",
  "insufficient_scope",
  "signup_closed",
  "invalid_state",
  "oidc_failed",
  "oidc_link_required",
  "last_way_in",
  "email_unverified",
  "not_found",
  "method_not_allowed",
  "email_taken",
  "conflict",
  "gone",
  "precondition_failed",
  "payload_too_large",
  "unsupported_media_type",
  "validation_failed",
  "idempotency_key_reused",
  "rate_limited",
  "too_many_streams",
  "service_unavailable",
  "internal_error",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** RFC 9457 problem details, the body of every error response. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: ErrorCode,
  /** Field path (dot-separated) to messages, only on 422. */
  errors: z.record(z.string(), z.array(z.string())).optional(),
});
export type Problem = z.infer<typeof Problem>;
