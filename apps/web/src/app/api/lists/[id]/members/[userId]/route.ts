// PATCH|DELETE /api/lists/{id}/members/{userId} – change a member's role or remove them (owner); a member leaves by deleting itself
import type { NextRequest } from "next/server";
import { forwardToApi, isIdSegment, notFound } from "@/lib/bff.server.ts";

type Context = { params: Promise<{ id: string; userId: string }> };

async function forwardMember(request: NextRequest, { params }: Context) {
  const { id, userId } = await params;
  if (!isIdSegment(id) || !isIdSegment(userId)) return notFound();
  return forwardToApi(request, `/api/v1/lists/${id}/members/${userId}`);
}

export const PATCH = forwardMember;
export const DELETE = forwardMember;
