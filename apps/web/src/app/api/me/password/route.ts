// PUT /api/me/password – change the password (the API ends every other session)
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function PUT(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me/password");
}
