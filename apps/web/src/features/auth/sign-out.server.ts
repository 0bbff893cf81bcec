import "server-only";
import type { NextRequest } from "next/server";
import { NextResponse } from "next/server";
import { callApi } from "@/lib/api.server.ts";
import { clientOf } from "@/lib/client-address.server.ts";
import { refuseForeignOrigin } from "@/lib/same-origin.server.ts";
import { clearedSessionCookies, isSecureRequest, readSessionTokens, writeCookies } from "./cookies.server.ts";
import { refreshSession } from "./refresh.server.ts";

/**
 * Ends the session at the API (`signout`, or `signout-all` for every device) and always forgets
 * the cookies here, even if the API is unreachable: signing out must never fail in the browser.
 */
export async function endSession(request: NextRequest, apiPath: "/api/v1/auth/signout" | "/api/v1/auth/signout-all") {
  const refused = refuseForeignOrigin(request);
  if (refused) return refused;
  const secure = isSecureRequest(request.nextUrl, request.headers);
  const { accessToken, refreshToken } = readSessionTokens(request.cookies, secure);
  const client = clientOf(request.headers);
  try {
    let token = accessToken;
    let response = token
      ? await callApi(apiPath, { method: "POST", accessToken: token, clientAddress: client.address })
      : null;
    if ((response === null || response.status === 401) && refreshToken) {
      // The access token lapsed: refresh once so the API can still revoke the session server-side.
      const refreshed = await refreshSession(refreshToken, client);
      if (refreshed.kind === "refreshed") {
        token = refreshed.session.accessToken;
        response = await callApi(apiPath, { method: "POST", accessToken: token, clientAddress: client.address });
      }
    }
    await response?.body?.cancel();
  } catch {
    // Unreachable API: the cookies still go; the tokens expire on their own.
  }
  const answer = new NextResponse(null, { status: 204, headers: { "cache-control": "no-store" } });
  writeCookies(answer.cookies, clearedSessionCookies(secure));
  return answer;
}
