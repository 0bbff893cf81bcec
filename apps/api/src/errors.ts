import type { ErrorCode, Problem } from "@taskvault/contract/errors";

const STATUS: Record<ErrorCode, { status: number; title: string }> = {
  bad_request: { status: 400, title: "Bad request" },
  invalid_json: { status: 400, title: "Malformed JSON" },
  invalid_query: { status: 400, title: "Invalid query string" },
  unauthorized: { status: 401, title: "Authentication required" },
  invalid_token: { status: 401, title: "Invalid token" },
  invalid_credentials: { status: 401, title: "Invalid email or password" },
  invalid_refresh_token: { status: 401, title: "Invalid refresh token" },
  invalid_code: { status: 401, title: "Invalid code" },
  invalid_mfa_token: { status: 401, title: "Invalid or expired sign-in step" },
  forbidden: { status: 403, title: "Forbidden" },
  insufficient_scope: { status: 403, title: "Insufficient scope" },
  signup_closed: { status: 403, title: "Sign-up is closed" },
  invalid_state: { status: 400, title: "Unknown or expired sign-in attempt" },
  oidc_failed: { status: 401, title: "Single sign-on failed" },
  oidc_link_required: { status: 409, title: "Link your existing account" },
  last_way_in: { status: 409, title: "This is the account's last way in" },
  email_unverified: { status: 403, title: "Email not verified" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  email_taken: { status: 409, title: "Email already registered" },
  conflict: { status: 409, title: "Conflict" },
  gone: { status: 410, title: "Gone" },
  precondition_failed: { status: 412, title: "Precondition failed" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  validation_failed: { status: 422, title: "Validation failed" },
  idempotency_key_reused: { status: 422, title: "Idempotency key reused" },
  rate_limited: { status: 429, title: "Too many requests" },
  too_many_streams: { status: 429, title: "Too many event streams" },
  service_unavailable: { status: 503, title: "Service unavailable" },
  internal_error: { status: 500, title: "Internal server error" },
};

export type FieldErrors = Record<string, string[]>;

/** A failure a client can understand: domain code throws it, one error handler renders it. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly errors: FieldErrors | undefined;
  readonly headers: Record<string, string>;
  /** RFC 9457 §3.2 extension members the problem carries besides the standard ones. */
  readonly extensions: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    detail?: string,
    options: {
      errors?: FieldErrors;
      headers?: Record<string, string>;
      status?: number;
      extensions?: Record<string, unknown>;
    } = {},
  ) {
    super(detail ?? STATUS[code].title);
    this.code = code;
    // A code keeps its meaning under another status: an emailed link's bad token is a 400, not a 401.
    this.status = options.status ?? STATUS[code].status;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions;
  }
}

export function problemFor(
  code: ErrorCode,
  detail?: string,
  errors?: FieldErrors,
  status = STATUS[code].status,
): Problem {
  const { title } = STATUS[code];
  return {
    type: `https://taskvault.dev/problems/${code.replaceAll("_", "-")}`,
    title,
    status,
    detail: detail ?? title,
    code,
    ...(errors ? { errors } : {}),
  };
}

export function validationError(field: string, message: string): AppError {
  return new AppError("validation_failed", message, { errors: { [field]: [message] } });
}
