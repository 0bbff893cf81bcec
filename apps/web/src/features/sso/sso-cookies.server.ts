import "server-only";
import type { NextRequest, NextResponse } from "next/server";
import { safeNextPath } from "@/lib/safe-next.ts";
import { isSecureRequest } from "../auth/cookies.server.ts";

/**
 * The browser's side of a single sign-on flow (decision 025), in HttpOnly cookies the page's
 * JavaScript cannot read:
 * - `tv_sso`: the browser binding (≥ 128 random bits) the API tied the flow to, and where to go
 *   afterwards. SameSite=Lax, because the provider's redirect back to us is a cross-site
 *   navigation that must carry it; a callback relayed from another browser lacks it and fails.
 * - `tv_sso_link`: the link ticket (and the provider's email) of a refused first sign-in, kept
 *   while the person signs in to their existing account; never in a URL, where it would reach
 *   logs and Referer headers. SameSite=Lax too: the callback sets it and redirects to /link-sso,
 *   and that load is still part of the provider's cross-site navigation, which drops Strict cookies.
 * Over HTTPS both carry `__Host-` like the session cookies.
 */
const FLOW = "tv_sso";
const LINK = "tv_sso_link";

const nameFor = (base: string, secure: boolean) => (secure ? `__Host-${base}` : base);
const encode = (text: string) => Buffer.from(text, "utf8").toString("base64url");
const decode = (text: string) => Buffer.from(text, "base64url").toString("utf8");

type CookieJar = { get(name: string): { value: string } | undefined };

export type SsoFlow = { binding: string; next: string };
export type SsoLink = { ticket: string; email: string };

/** The binding and `next` of the flow this browser started, if any. */
export function readSsoFlow(cookies: CookieJar, secure: boolean): SsoFlow | null {
  const value = cookies.get(nameFor(FLOW, secure))?.value;
  if (!value) return null;
  const [binding, next = ""] = value.split(".");
  if (!binding) return null;
  return { binding, next: safeNextPath(decode(next)) };
}

export function setSsoFlow(response: NextResponse, request: NextRequest, flow: SsoFlow, maxAge: number) {
  write(response, request, FLOW, `${flow.binding}.${encode(flow.next)}`, maxAge);
}

export function clearSsoFlow(response: NextResponse, request: NextRequest) {
  write(response, request, FLOW, "", 0);
}

export function readSsoLink(cookies: CookieJar, secure: boolean): SsoLink | null {
  const value = cookies.get(nameFor(LINK, secure))?.value;
  if (!value) return null;
  const [ticket, email = ""] = value.split(".");
  return ticket ? { ticket, email: decode(email) } : null;
}

export function setSsoLink(response: NextResponse, request: NextRequest, link: SsoLink, maxAge: number) {
  write(response, request, LINK, `${link.ticket}.${encode(link.email)}`, maxAge);
}

export function clearSsoLink(response: NextResponse, request: NextRequest) {
  write(response, request, LINK, "", 0);
}

function write(response: NextResponse, request: NextRequest, base: string, value: string, maxAge: number) {
  const secure = isSecureRequest(request.nextUrl, request.headers);
  response.cookies.set({
    name: nameFor(base, secure),
    value,
    httpOnly: true,
    sameSite: "lax",
    secure,
    path: "/",
    maxAge,
  });
}
