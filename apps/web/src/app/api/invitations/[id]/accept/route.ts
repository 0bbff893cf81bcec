// POST /api/invitations/{id}/accept – join the shared list; answers with the list
import type { NextRequest } from "next/server";
import { forwardToApi, isIdSegment, notFound } from "@/lib/bff.server.ts";

type Context = { params: Promise<{ id: string }> };

export async function POST(request: NextRequest, { params }: Context) {
  const { id } = await params;
  if (!isIdSegment(id)) return notFound();
  return forwardToApi(request, `/api/v1/invitations/${id}/accept`);
}
