// DELETE /api/me/tokens/{id} – revoke one of the user's API tokens
import type { NextRequest } from "next/server";
import { forwardToApi, isIdSegment, notFound } from "@/lib/bff.server.ts";

type Context = { params: Promise<{ id: string }> };

export async function DELETE(request: NextRequest, { params }: Context) {
  const { id } = await params;
  if (!isIdSegment(id)) return notFound();
  return forwardToApi(request, `/api/v1/me/tokens/${id}`);
}
