// POST /api/auth/passkey – sign in with a passkey alone and start a cookie session
import type { NextRequest } from "next/server";
import { startSession } from "@/features/auth/sign-in.server.ts";

export function POST(request: NextRequest) {
  return startSession(request, "/api/v1/auth/passkey");
}
