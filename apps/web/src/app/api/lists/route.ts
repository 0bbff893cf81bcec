// GET|POST /api/lists – the user's lists (with todo and active counts) and creating one
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function GET(request: NextRequest) {
  return forwardToApi(request, "/api/v1/lists");
}

export function POST(request: NextRequest) {
  return forwardToApi(request, "/api/v1/lists");
}
