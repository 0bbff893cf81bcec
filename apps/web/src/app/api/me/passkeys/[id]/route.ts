// PATCH /api/me/passkeys/{id} – rename a passkey; DELETE – remove it
import type { NextRequest } from "next/server";
import { forwardToApi, isIdSegment, notFound } from "@/lib/bff.server.ts";

type Context = { params: Promise<{ id: string }> };

export async function PATCH(request: NextRequest, { params }: Context) {
  const { id } = await params;
  if (!isIdSegment(id)) return notFound();
  return forwardToApi(request, `/api/v1/me/passkeys/${id}`);
}

export async function DELETE(request: NextRequest, { params }: Context) {
  const { id } = await params;
  if (!isIdSegment(id)) return notFound();
  return forwardToApi(request, `/api/v1/me/passkeys/${id}`);
}
