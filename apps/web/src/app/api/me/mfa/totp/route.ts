// POST /api/me/mfa/totp – start setting up an authenticator app; DELETE – remove it
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function POST(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me/mfa/totp");
}

export function DELETE(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me/mfa/totp");
}
