import "server-only";
import type { NextRequest, NextResponse } from "next/server";
import { isSecureRequest } from "../auth/cookies.server.ts";

/**
 * The `mfaToken` of a sign-in waiting for its second factor. Like the session tokens it stays in an
 * HttpOnly cookie the page's JavaScript cannot read; it lives as long as the API lets it (5 minutes)
 * and is sent only to same-site requests (SameSite=Strict: nothing is signed in yet that a
 * cross-site navigation would need).
 */
const BASE = "tv_mfa";
const LIFETIME_SECONDS = 5 * 60;

const nameFor = (secure: boolean) => (secure ? `__Host-${BASE}` : BASE);

export function readMfaToken(request: NextRequest): string | null {
  const secure = isSecureRequest(request.nextUrl, request.headers);
  return request.cookies.get(nameFor(secure))?.value || null;
}

export function setMfaToken(response: NextResponse, request: NextRequest, mfaToken: string) {
  write(response, request, mfaToken, LIFETIME_SECONDS);
}

export function clearMfaToken(response: NextResponse, request: NextRequest) {
  write(response, request, "", 0);
}

function write(response: NextResponse, request: NextRequest, value: string, maxAge: number) {
  const secure = isSecureRequest(request.nextUrl, request.headers);
  response.cookies.set({ name: nameFor(secure), value, httpOnly: true, sameSite: "strict", secure, path: "/", maxAge });
}
