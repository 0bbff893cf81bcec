// POST /api/auth/signout-all – end every session of the user, this one too
import type { NextRequest } from "next/server";
import { endSession } from "@/features/auth/sign-out.server.ts";

export function POST(request: NextRequest) {
  return endSession(request, "/api/v1/auth/signout-all");
}
