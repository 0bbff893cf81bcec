// GET|PATCH /api/me/preferences – time zone and email reminders
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function GET(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me/preferences");
}

export function PATCH(request: NextRequest) {
  return forwardToApi(request, "/api/v1/me/preferences");
}
