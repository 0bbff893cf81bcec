// GET /api/events – the signed-in user's changes as server-sent events, relayed from the API
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

// The browser's EventSource resends Last-Event-ID on reconnect; the API resumes from it, so a
// stream that ends (token expiry, network) misses nothing.
export function GET(request: NextRequest) {
  return forwardToApi(request, "/api/v1/events", { isStream: true });
}
