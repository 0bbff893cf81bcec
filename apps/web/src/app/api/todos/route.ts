// GET|POST /api/todos – list (with the API's filters) and create todos; DELETE ?status=completed clears completed ones
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function GET(request: NextRequest) {
  return forwardToApi(request, "/api/v1/todos");
}

export function POST(request: NextRequest) {
  return forwardToApi(request, "/api/v1/todos");
}

export function DELETE(request: NextRequest) {
  return forwardToApi(request, "/api/v1/todos");
}
