// GET /api/invitations – the signed-in user's pending invitations to shared lists
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function GET(request: NextRequest) {
  return forwardToApi(request, "/api/v1/invitations");
}
