// GET|PATCH|DELETE /api/lists/{id} – one list; DELETE takes ?todos=delete|inbox for a list with todos
import type { NextRequest } from "next/server";
import { forwardToApi, isIdSegment, notFound } from "@/lib/bff.server.ts";

type Context = { params: Promise<{ id: string }> };

async function forwardList(request: NextRequest, { params }: Context) {
  const { id } = await params;
  if (!isIdSegment(id)) return notFound();
  return forwardToApi(request, `/api/v1/lists/${id}`);
}

export const GET = forwardList;
export const PATCH = forwardList;
export const DELETE = forwardList;
