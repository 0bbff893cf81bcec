// GET /api/export – the user's whole data (profile, lists, todos) as one JSON document
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function GET(request: NextRequest) {
  return forwardToApi(request, "/api/v1/export");
}
