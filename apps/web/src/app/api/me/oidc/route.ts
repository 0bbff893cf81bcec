// GET /api/me/oidc – the provider linked to the account, if any; DELETE – unlink it (409 last_way_in while it is the only way in)
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function GET(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me/oidc");
}

export function DELETE(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me/oidc");
}
