// POST /api/me/oidc/link – link the provider account of a refused single sign-on (ticket and binding from HttpOnly cookies)
import type { NextRequest } from "next/server";
import { linkSsoAccount } from "@/features/sso/sso-link.server.ts";

export function POST(request: NextRequest) {
  return linkSsoAccount(request);
}
