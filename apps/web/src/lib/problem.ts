import type { Problem } from "@taskvault/contract/errors";
import { NextResponse } from "next/server";

/** Builds an RFC 9457 problem response in the API's own shape, for errors the BFF raises itself. */
export function problemResponse(status: number, code: Problem["code"], title: string, detail: string): NextResponse {
  const body: Problem = { type: `https://taskvault.dev/problems/${code}`, title, status, detail, code };
  return new NextResponse(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
  });
}
