// POST /api/auth/signin/mfa – finish a sign-in with its second factor and start a cookie session
import type { NextRequest } from "next/server";
import { completeSecondStep } from "@/features/mfa/second-step.server.ts";

export function POST(request: NextRequest) {
  return completeSecondStep(request);
}
