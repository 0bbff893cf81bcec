// GET /auth/oidc/callback – the redirect URI (PUBLIC_URL/auth/oidc/callback): finish the sign-in the provider answered
import type { NextRequest } from "next/server";
import { finishSsoSignIn } from "@/features/sso/sso-flow.server.ts";

export function GET(request: NextRequest) {
  return finishSsoSignIn(request);
}
