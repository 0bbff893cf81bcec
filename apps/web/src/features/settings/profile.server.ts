import "server-only";
import { Preferences, User } from "@taskvault/contract/auth";
import { TimeZone } from "@taskvault/contract/todos";
import { loadFromApi } from "@/features/auth/session.server.ts";

/** The signed-in user as the pages show them: the contract's `User` plus the profile's time zone. */
export type Profile = User & { timezone: string | undefined; emailReminders: boolean };

/**
 * `GET /api/v1/me` and `GET /api/v1/me/preferences` together (the zone is a preference: `User`
 * keeps the contract's shape). A zone this runtime does not know counts as unknown, and the
 * browser's stands in (`useTimeZone`).
 */
export async function loadProfile(currentPath: string): Promise<Profile> {
  const [user, preferences] = await Promise.all([
    loadFromApi("/api/v1/me", User, currentPath),
    loadFromApi("/api/v1/me/preferences", Preferences, currentPath),
  ]);
  const zone = TimeZone.safeParse(preferences.timezone);
  return { ...user, timezone: zone.success ? zone.data : undefined, emailReminders: preferences.emailReminders };
}

/** The zones the settings offer: the runtime's IANA list, which leaves out plain "UTC". */
export function timeZoneNames(): string[] {
  return ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")];
}
