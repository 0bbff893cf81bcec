// POST /api/auth/email/verify – spend a verification or email-change link's token (only a click does)
import type { NextRequest } from "next/server";
import { forwardPublicToApi } from "@/lib/bff.server.ts";

export function POST(request: NextRequest) {
  return forwardPublicToApi(request, "/api/v1/auth/email/verify");
}
