// POST /api/import – a Taskvault export (application/json) or a Todoist CSV (text/csv), all or nothing
import { IMPORT_BODY_LIMIT } from "@taskvault/contract/import-export";
import type { NextRequest } from "next/server";
import { forwardToApi } from "@/lib/bff.server.ts";

export function POST(request: NextRequest) {
  // Imports are the one body larger than the BFF's usual 64 KB: the API takes up to 1 MB.
  return forwardToApi(request, "/api/v1/import", { bodyLimit: IMPORT_BODY_LIMIT });
}
