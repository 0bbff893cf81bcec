// POST /api/me/email/verification – send a fresh verification link (throttled: 429 with Retry-After)
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function POST(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me/email/verification");
}
