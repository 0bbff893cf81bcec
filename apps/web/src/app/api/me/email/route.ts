// PUT /api/me/email – change the address: a confirmation link goes to the new one
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function PUT(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me/email");
}
