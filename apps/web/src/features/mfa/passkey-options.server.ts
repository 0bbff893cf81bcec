import "server-only";
import type { NextRequest } from "next/server";
import { callApi } from "@/lib/api.server.ts";
import { relayResponse } from "@/lib/bff.server.ts";
import { clientAddressOf } from "@/lib/client-address.server.ts";
import { problemResponse } from "@/lib/problem.ts";
import { refuseForeignOrigin } from "@/lib/same-origin.server.ts";

/**
 * A challenge for signing in with a passkey, for a browser that is not signed in yet. It holds no
 * secret (the challenge id only names a single-use, 5-minute challenge), so it is relayed as it is.
 */
export async function relayPasskeySignInOptions(request: NextRequest) {
  const refused = refuseForeignOrigin(request);
  if (refused) return refused;
  try {
    const response = await callApi("/api/v1/auth/passkey/options", {
      method: "POST",
      headers: { "user-agent": request.headers.get("user-agent") },
      clientAddress: clientAddressOf(request.headers),
    });
    return relayResponse(response, await response.arrayBuffer());
  } catch {
    return problemResponse(503, "service_unavailable", "Service Unavailable", "The Taskvault API cannot be reached.");
  }
}
