// GET /api/auth/sessions – the user's sessions (devices)
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function GET(request: NextRequest) {
  return forwardToApi(request, "/api/v1/auth/sessions");
}
