// GET|PATCH|PUT|DELETE /api/todos/{id} – one todo; If-Match and ETag pass through for conflict checks
import type { NextRequest } from "next/server";
import { forwardToApi, isIdSegment, notFound } from "@/lib/bff.server.ts";

type Context = { params: Promise<{ id: string }> };

async function forwardTodo(request: NextRequest, { params }: Context) {
  const { id } = await params;
  if (!isIdSegment(id)) return notFound();
  return forwardToApi(request, `/api/v1/todos/${id}`);
}

export const GET = forwardTodo;
export const PATCH = forwardTodo;
export const PUT = forwardTodo;
export const DELETE = forwardTodo;
