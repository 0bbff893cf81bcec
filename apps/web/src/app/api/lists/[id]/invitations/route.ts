// GET|POST /api/lists/{id}/invitations – a list's pending invitations, and inviting someone (owner)
import type { NextRequest } from "next/server";
import { forwardToApi, isIdSegment, notFound } from "@/lib/bff.server.ts";

type Context = { params: Promise<{ id: string }> };

async function forwardInvitations(request: NextRequest, { params }: Context) {
  const { id } = await params;
  if (!isIdSegment(id)) return notFound();
  return forwardToApi(request, `/api/v1/lists/${id}/invitations`);
}

export const GET = forwardInvitations;
export const POST = forwardInvitations;
