// GET /auth/oidc/start?next=… – start a single sign-on at the API and send the browser to the provider
import type { NextRequest } from "next/server";
import { startSsoSignIn } from "@/features/sso/sso-flow.server.ts";

export function GET(request: NextRequest) {
  return startSsoSignIn(request);
}
