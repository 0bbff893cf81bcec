import "server-only";
import { OidcConfig } from "@taskvault/contract/oidc";
import { callApi } from "@/lib/api.server.ts";

/**
 * Whether single sign-on is on, and the provider's name for the button, from the API
 * (`GET /api/v1/auth/oidc`, 404 when OIDC_ISSUER is not set there): the OIDC_* settings live only
 * on the API, which holds the client secret. An API that cannot be reached offers no button.
 */
export async function loadOidcConfig(): Promise<OidcConfig> {
  try {
    const response = await callApi("/api/v1/auth/oidc", { clientAddress: null });
    const parsed = OidcConfig.safeParse(await response.json().catch(() => null));
    if (response.ok && parsed.success) return parsed.data;
  } catch {
    // falls through: no button
  }
  return { enabled: false, name: "" };
}
