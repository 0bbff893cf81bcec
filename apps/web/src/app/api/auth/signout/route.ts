// POST /api/auth/signout – end this session at the API and drop its cookies
import type { NextRequest } from "next/server";
import { endSession } from "@/features/auth/sign-out.server.ts";

export function POST(request: NextRequest) {
  return endSession(request, "/api/v1/auth/signout");
}
