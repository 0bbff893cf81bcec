/**
 * Whether an error means the database could not be reached or could not answer in time — a
 * restart, a failover, a dead network path, a full disk — rather than a bug or a constraint of
 * ours. Such requests are answered 503 with Retry-After (plugins/errors.ts), never 500 (decision 017).
 */

/** Node's socket errors and postgres.js's connection errors. */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECTION_ENDED",
  // The embedded database's files: a full disk, a read-only or vanished data directory.
  "ENOSPC",
  "EROFS",
  "EDQUOT",
  "EIO",
]);

/**
 * SQLSTATEs of a database that is going away or cannot take the work: connection exceptions
 * (class 08), shutdown and start-up (57P01–57P03), a cancelled or timed-out statement (57014),
 * too many connections (53300), a full disk (53100).
 */
const UNAVAILABLE_STATES = /^(08...|57P0[123]|57014|53300|53100)$/;

export class DatabaseDeadlineError extends Error {
  readonly code = "QUERY_DEADLINE";
}

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    if (cause instanceof DatabaseDeadlineError) return true;
    const code = (cause as { code?: unknown }).code;
    if (typeof code === "string" && (UNREACHABLE_CODES.has(code) || UNAVAILABLE_STATES.test(code))) return true;
    // PGlite's own failures of its file system surface as these messages.
    const message = (cause as { message?: unknown }).message;
    if (typeof message === "string" && /no space left on device|read-only file system/i.test(message)) return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}
