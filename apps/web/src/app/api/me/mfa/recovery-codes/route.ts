// POST /api/me/mfa/recovery-codes – a fresh set of recovery codes (the old set stops working)
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function POST(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me/mfa/recovery-codes");
}
