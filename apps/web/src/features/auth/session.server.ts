import "server-only";
import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { callApi } from "@/lib/api.server.ts";
import { readSessionTokens } from "./cookies.server.ts";

/**
 * Data loading for server components. The proxy has already refreshed a token close to expiry,
 * so this only reads the cookie. A 401 here (revoked session, clock drift) cannot be fixed in a
 * render, which may not write cookies, so the browser is sent to /api/auth/recover.
 */
export class ApiUnavailableError extends Error {
  constructor(readonly status: number) {
    super(`The Taskvault API answered ${status}`);
  }
}

async function readAccessToken(): Promise<string | null> {
  const [jar, incoming] = await Promise.all([cookies(), headers()]);
  const secure = incoming.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
  return readSessionTokens(jar, secure).accessToken ?? readSessionTokens(jar, !secure).accessToken;
}

/** Whether this page's request carries a session (the proxy has already dropped an ended one). */
export async function hasSession(): Promise<boolean> {
  const [jar, incoming] = await Promise.all([cookies(), headers()]);
  const secure = incoming.get("x-forwarded-proto")?.split(",")[0]?.trim() === "https";
  return readSessionTokens(jar, secure).refreshToken !== null || readSessionTokens(jar, !secure).refreshToken !== null;
}

function recover(currentPath: string): never {
  redirect(`/api/auth/recover?next=${encodeURIComponent(currentPath)}`);
}

/** GETs an API resource for the page at `currentPath` and parses it with `schema`. */
export async function loadFromApi<S extends z.ZodType>(
  path: string,
  schema: S,
  currentPath: string,
): Promise<z.infer<S>> {
  const accessToken = await readAccessToken();
  if (!accessToken) recover(currentPath);
  let response: Response;
  try {
    response = await callApi(path, { accessToken });
  } catch {
    throw new ApiUnavailableError(503);
  }
  if (response.status === 401) {
    await response.body?.cancel();
    recover(currentPath);
  }
  if (response.status === 403 && (await isEmailUnverified(response))) {
    // AUTH_REQUIRE_VERIFIED_EMAIL: nothing loads until the address is confirmed; that page says how.
    redirect("/verify-email");
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new ApiUnavailableError(response.status);
  }
  return schema.parse(await response.json());
}

async function isEmailUnverified(response: Response): Promise<boolean> {
  const problem = (await response.json().catch(() => null)) as { code?: unknown } | null;
  return problem?.code === "email_unverified";
}
