// GET /api/me/tokens – the user's API tokens (no secrets); POST – create one (the secret is in this answer only)
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function GET(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me/tokens");
}

export function POST(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me/tokens");
}
