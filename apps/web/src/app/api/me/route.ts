// GET|PATCH|DELETE /api/me – the signed-in user's profile; DELETE removes the account
import type { NextRequest } from "next/server";
import { clearedSessionCookies, writeCookies } from "@/features/auth/cookies.server.ts";
import { forwardToApi } from "@/lib/bff.server.ts";

export function GET(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me");
}

export function PATCH(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me");
}

export function DELETE(request: NextRequest) {
  // The account is gone, and with it every token: forget the cookies too.
  return forwardToApi(request, "/api/v1/me", {
    onSuccess: (response, secure) => writeCookies(response.cookies, clearedSessionCookies(secure)),
  });
}
