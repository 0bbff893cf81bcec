// POST /api/todos/complete-all – mark every todo of the user completed
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function POST(request: NextRequest) {
  return forwardToApi(request, "/api/v1/todos/complete-all");
}
