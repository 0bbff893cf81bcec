import "server-only";
import type { NextRequest } from "next/server";
import { isForeignStateChange } from "./origin.ts";
import { problemResponse } from "./problem.ts";

/**
 * The proxy already refuses cross-site state changes; BFF routes check again so that a matcher
 * change can never silently drop the CSRF defence (Next's own advice for server functions).
 */
export function refuseForeignOrigin(request: NextRequest) {
  const isForeign = isForeignStateChange({
    method: request.method,
    origin: request.headers.get("origin"),
    secFetchSite: request.headers.get("sec-fetch-site"),
    host: request.headers.get("x-forwarded-host") ?? request.headers.get("host"),
  });
  return isForeign
    ? problemResponse(403, "forbidden", "Forbidden", "Cross-site requests may not change anything here.")
    : null;
}
