import "server-only";
import { isIP } from "node:net";

/**
 * The browser's address as the web server worked it out (server.mjs replaces X-Forwarded-For with
 * exactly one trustworthy address before Next sees the request). The BFF passes it on to the API,
 * which trusts X-Forwarded-For from this server only, so each browser gets its own throttle bucket.
 * Anything that is not a single IP address is dropped rather than forwarded.
 */
export function clientAddressOf(headers: Headers): string | null {
  const value = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return value && isIP(value) ? value : null;
}

/** Who is asking, for calls the web server makes on a browser's behalf (refresh, sign-in …). */
export type ClientInfo = { userAgent: string | null; address: string | null };

export function clientOf(headers: Headers): ClientInfo {
  return { userAgent: headers.get("user-agent"), address: clientAddressOf(headers) };
}
