// POST /api/todos/parse – what a quick-add line means (title, due date, list, tags, priority, repeat); creates nothing
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function POST(request: NextRequest) {
  return forwardToApi(request, "/api/v1/todos/parse");
}
