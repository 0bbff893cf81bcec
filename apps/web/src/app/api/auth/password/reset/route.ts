// POST /api/auth/password/reset – set a new password with a reset link's token
import type { NextRequest } from "next/server";
import { clearedSessionCookies, writeCookies } from "@/features/auth/cookies.server.ts";
import { forwardPublicToApi } from "@/lib/bff.server.ts";

export function POST(request: NextRequest) {
  // The reset ended every session of the account, perhaps this browser's: forget its cookies too.
  return forwardPublicToApi(request, "/api/v1/auth/password/reset", {
    onSuccess: (response, secure) => writeCookies(response.cookies, clearedSessionCookies(secure)),
  });
}
