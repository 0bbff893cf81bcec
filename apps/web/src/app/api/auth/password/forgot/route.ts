// POST /api/auth/password/forgot – ask for a reset link (the same answer whether or not the account exists)
import type { NextRequest } from "next/server";
import { forwardPublicToApi } from "@/lib/bff.server.ts";

export function POST(request: NextRequest) {
  return forwardPublicToApi(request, "/api/v1/auth/password/forgot");
}
