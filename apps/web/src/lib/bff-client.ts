import type { Problem } from "@taskvault/contract/errors";

/**
 * The browser's only way to the data: same-origin calls to the BFF, which holds the tokens.
 * Errors arrive as the API's problem+json and are thrown as `BffError`.
 */
export class BffError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Partial<Problem> | null,
    /** A 429's Retry-After, in seconds. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(problem?.detail || problem?.title || `Request failed (${status})`);
  }

  /** Field name → messages for a 422. */
  get fieldErrors(): Record<string, string[]> {
    return this.problem?.errors ?? {};
  }
}

export type BffRequest = {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  body?: unknown;
  headers?: Record<string, string>;
  /** Auth forms handle their own 401 (wrong password); everything else means the session ended. */
  redirectOnUnauthorized?: boolean;
  signal?: AbortSignal;
};

export async function bff<T>(
  path: string,
  { method = "GET", body, headers = {}, redirectOnUnauthorized = true, signal }: BffRequest = {},
) {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
      body: body === undefined ? null : JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
      signal: signal ?? null,
    });
  } catch {
    throw new BffError(0, { title: "Network error", detail: "Could not reach Taskvault. Check your connection." });
  }
  if (response.status === 401 && redirectOnUnauthorized) {
    signInAgain();
  }
  if (!response.ok) {
    const problem = (await response.json().catch(() => null)) as Partial<Problem> | null;
    const retryAfter = Number.parseInt(response.headers.get("retry-after") ?? "", 10);
    throw new BffError(response.status, problem, Number.isFinite(retryAfter) ? retryAfter : null);
  }
  const data = response.status === 204 ? null : ((await response.json().catch(() => null)) as T);
  return { data: data as T, response };
}

/** The session ended elsewhere (revoked, expired): say so on the sign-in page and come back after. */
export function signInAgain() {
  const here = `${window.location.pathname}${window.location.search}`;
  const params = new URLSearchParams({ reason: "expired" });
  if (here !== "/") params.set("next", here);
  window.location.assign(`/signin?${params}`);
}

/** What to tell the user about a failed call: the field messages of a 422, else the problem's detail. */
export function messageOf(error: unknown): string {
  if (error instanceof BffError) {
    const fields = Object.values(error.fieldErrors).flat();
    return fields.length ? fields.join(" ") : error.message;
  }
  return "something went wrong.";
}

/** "Try again in 3 minutes." for a 429's Retry-After (seconds), or a plain "Try again later." */
export function retryAdvice(seconds: number | null): string {
  if (seconds === null) return "Try again later.";
  if (seconds < 60) return `Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `Try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`;
  const hours = Math.ceil(minutes / 60);
  return `Try again in ${hours} hour${hours === 1 ? "" : "s"}.`;
}
