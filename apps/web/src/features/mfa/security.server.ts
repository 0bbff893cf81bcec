import "server-only";
import { MfaStatus, PasskeyList } from "@taskvault/contract/mfa";
import { loadFromApi } from "@/features/auth/session.server.ts";

/** The account's second factors and passkeys, for the settings page's Security card. */
export async function loadSecurity(currentPath: string) {
  const [status, passkeys] = await Promise.all([
    loadFromApi("/api/v1/me/mfa", MfaStatus, currentPath),
    loadFromApi("/api/v1/me/passkeys", PasskeyList, currentPath),
  ]);
  return { status, passkeys };
}
