// GET /api/me/passkeys – the account's passkeys; POST – register one
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function GET(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me/passkeys");
}

export function POST(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me/passkeys");
}
