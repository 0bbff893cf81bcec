import "server-only";
import { createHash } from "node:crypto";
import { Session } from "@taskvault/contract/auth";
import { callApi } from "@/lib/api.server.ts";
import type { ClientInfo } from "@/lib/client-address.server.ts";
import { createSingleFlight } from "@/lib/single-flight.ts";

export type RefreshResult =
  | { kind: "refreshed"; session: Session }
  /** The API refused the refresh token: the session is over. */
  | { kind: "rejected" }
  /** The API could not be reached or failed: keep the cookies, the user is not signed out. */
  | { kind: "unavailable" };

/**
 * Shared by every module instance in this process: Next bundles the proxy and the route handlers
 * separately, and a per-bundle map would let both spend the same refresh token.
 * A successful result stays shareable for 8 s (under the API's 10 s reuse grace), so a request that
 * left the browser just before the new cookies arrived gets the same rotated pair instead of
 * presenting a spent token.
 */
const FLIGHTS_KEY = Symbol.for("taskvault.web.refreshFlights");
type Flights = ReturnType<typeof createSingleFlight<RefreshResult>>;
const globalStore = globalThis as typeof globalThis & { [FLIGHTS_KEY]?: Flights };
globalStore[FLIGHTS_KEY] ??= createSingleFlight<RefreshResult>({ keepMs: 8_000 });
const flights: Flights = globalStore[FLIGHTS_KEY]!;

/** `client` is the browser the refresh is for: its address picks the API's refresh throttle bucket. */
export function refreshSession(refreshToken: string, client: ClientInfo): Promise<RefreshResult> {
  // Keyed by a hash so the map never holds a usable token as a key.
  const key = createHash("sha256").update(refreshToken).digest("base64url");
  return flights.run(
    key,
    () => requestRefresh(refreshToken, client),
    (result) => result.kind === "refreshed",
  );
}

async function requestRefresh(refreshToken: string, client: ClientInfo): Promise<RefreshResult> {
  let response: Response;
  try {
    response = await callApi("/api/v1/auth/refresh", {
      method: "POST",
      body: JSON.stringify({ refreshToken }),
      headers: { "user-agent": client.userAgent },
      clientAddress: client.address,
    });
  } catch {
    return { kind: "unavailable" };
  }
  if (response.ok) {
    const parsed = Session.safeParse(await response.json().catch(() => null));
    return parsed.success ? { kind: "refreshed", session: parsed.data } : { kind: "unavailable" };
  }
  await response.body?.cancel();
  // 400/401/422: the token is unknown, spent or malformed. 429/5xx: try again later.
  return response.status < 500 && response.status !== 429 ? { kind: "rejected" } : { kind: "unavailable" };
}
