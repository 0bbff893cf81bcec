// POST /api/me/passkeys/options – WebAuthn creation options for a new passkey
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function POST(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me/passkeys/options");
}
