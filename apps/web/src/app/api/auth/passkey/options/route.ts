// POST /api/auth/passkey/options – a challenge for signing in with a passkey
import type { NextRequest } from "next/server";
import { relayPasskeySignInOptions } from "@/features/mfa/passkey-options.server.ts";

export function POST(request: NextRequest) {
  return relayPasskeySignInOptions(request);
}
