// GET /api/changes?since=… – the signed-in user's changes after a seq, for catching up after a drop
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function GET(request: NextRequest) {
  return forwardToApi(request, "/api/v1/changes");
}
