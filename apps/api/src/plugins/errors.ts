import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { isDatabaseUnavailable } from "../db/availability.ts";
import { AppError, type FieldErrors, problemFor } from "../errors.ts";

const PROBLEM_JSON = "application/problem+json; charset=utf-8";

/** Fastify's own error codes that a client can cause, and what they mean to the client. */
const FRAMEWORK_ERRORS: Record<string, AppError | (() => AppError)> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => new AppError("invalid_json", "The request body is not valid JSON"),
  FST_ERR_CTP_EMPTY_JSON_BODY: () => new AppError("invalid_json", "The request body is empty"),
  FST_ERR_CTP_BODY_TOO_LARGE: () => new AppError("payload_too_large", "The request body is larger than 64 KiB"),
  FST_ERR_CTP_INVALID_MEDIA_TYPE: () => new AppError("unsupported_media_type", "Send the body as application/json"),
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => new AppError("bad_request", "Content-Length does not match the body"),
  FST_ERR_CTP_INVALID_TYPE: () => new AppError("unsupported_media_type", "Send the body as application/json"),
  FST_ERR_BAD_URL: () => new AppError("bad_request", "The URL is malformed"),
  FST_ERR_ASYNC_CONSTRAINT: () => new AppError("bad_request", "The request is malformed"),
};

/** A database back within seconds (a restart, a failover) is the case to serve: ask again soon. */
const DATABASE_RETRY_AFTER_S = 1;

interface ValidationIssue {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: { keys?: unknown };
}

function fieldErrors(issues: ValidationIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  const add = (field: string, message: string) => {
    errors[field] ??= [];
    errors[field].push(message);
  };
  for (const issue of issues) {
    const path = (issue.instancePath ?? "").replace(/^\//, "").replaceAll("/", ".");
    // An unknown field is named as the field itself, so a client sees which one to drop.
    if (issue.keyword === "unrecognized_keys" && Array.isArray(issue.params?.keys)) {
      for (const key of issue.params.keys) add(path ? `${path}.${String(key)}` : String(key), "Unknown field");
      continue;
    }
    add(path || "body", issue.message ?? "Invalid value");
  }
  return errors;
}

function toAppError(error: FastifyError): AppError | null {
  if (error instanceof AppError) return error;
  if (error.validation) {
    const errors = fieldErrors(error.validation as ValidationIssue[]);
    const where = error.validationContext;
    if (where === "body") return new AppError("validation_failed", "Some fields are invalid", { errors });
    if (where === "params") return new AppError("not_found");
    if (where === "headers") return new AppError("bad_request", "A request header is invalid", { errors });
    return new AppError("invalid_query", "The query string is invalid", { errors });
  }
  if (isDatabaseUnavailable(error)) {
    // The request never reached a decision: retrying it shortly is safe and what a client should do.
    return new AppError("service_unavailable", "The database is not available; try again shortly", {
      headers: { "retry-after": String(DATABASE_RETRY_AFTER_S) },
    });
  }
  const known = error.code ? FRAMEWORK_ERRORS[error.code] : undefined;
  if (known) return typeof known === "function" ? known() : known;
  // Any other 4xx Fastify raises (bad headers, …) stays a 400; never leak its message as a 5xx.
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    if (error.statusCode === 429) return new AppError("rate_limited", "Too many requests; slow down");
    return new AppError("bad_request", "The request is malformed");
  }
  return null;
}

/**
 * Fastify's `frameworkErrors` option: URLs the router cannot decode, or path parameters over
 * `maxParamLength`, are answered before any route's error handler would see them.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply) {
  // An over-long path segment cannot be an id of ours: "not found", like any malformed id.
  const problem =
    error.code === "FST_ERR_MAX_PARAM_LENGTH"
      ? problemFor("not_found")
      : problemFor("bad_request", "The URL or request is malformed");
  return reply.code(problem.status).type(PROBLEM_JSON).send(problem);
}

/** The one place where errors become RFC 9457 problem+json; 5xx bodies never carry internals. */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error);
    if (!appError) {
      request.log.error({ err: error }, "unhandled error");
      return reply.code(500).type(PROBLEM_JSON).send(problemFor("internal_error", "Something went wrong on our side"));
    }
    if (appError.status >= 500) request.log.warn({ code: appError.code }, appError.message);
    for (const [name, value] of Object.entries(appError.headers)) reply.header(name, value);
    if (appError.status === 401 && !reply.hasHeader("www-authenticate")) {
      reply.header("www-authenticate", 'Bearer realm="taskvault"');
    }
    return reply
      .code(appError.status)
      .type(PROBLEM_JSON)
      .send({
        ...appError.extensions,
        ...problemFor(appError.code, appError.message, appError.errors, appError.status),
      });
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .type(PROBLEM_JSON)
      .send(problemFor("not_found", `No route for ${request.method} ${request.url.split("?")[0]}`));
  });
});
