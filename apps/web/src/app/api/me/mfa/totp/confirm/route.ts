// POST /api/me/mfa/totp/confirm – turn the authenticator app on with a first code
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function POST(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me/mfa/totp/confirm");
}
