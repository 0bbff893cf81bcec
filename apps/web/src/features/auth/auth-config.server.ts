import "server-only";
import { AuthConfig } from "@taskvault/contract/auth";
import { callApi } from "@/lib/api.server.ts";

/**
 * What the sign-in and sign-up pages offer, from the API (`GET /api/v1/auth/config`): AUTH_SIGNUP
 * is the API's setting, so the web app needs no copy of it that could disagree. An API that
 * cannot be reached leaves sign-up offered: the API refuses it anyway when it is closed.
 */
export async function loadAuthConfig(): Promise<AuthConfig> {
  try {
    const response = await callApi("/api/v1/auth/config", { clientAddress: null });
    const parsed = AuthConfig.safeParse(await response.json());
    if (parsed.success) return parsed.data;
  } catch {
    // falls through to the default
  }
  return { signup: "open" };
}
