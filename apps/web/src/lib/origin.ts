/**
 * Cross-site request forgery guard for state-changing requests. SameSite=Lax cookies already stop
 * most cross-site POSTs; this refuses the rest (same-site subdomains, old browsers) by checking that
 * the browser-set `Origin` names this very host.
 */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type OriginCheckInput = {
  method: string;
  /** The request's `Origin` header, if any. */
  origin: string | null;
  /** The request's `Sec-Fetch-Site` header, if any. */
  secFetchSite: string | null;
  /** The host the browser addressed (`Host`, or `X-Forwarded-Host` behind a proxy). */
  host: string | null;
};

export function isForeignStateChange({ method, origin, secFetchSite, host }: OriginCheckInput): boolean {
  if (SAFE_METHODS.has(method.toUpperCase())) return false;
  if (secFetchSite?.toLowerCase() === "cross-site") return true;
  // No Origin and no fetch metadata: not a browser (curl, scripts), which cannot carry a victim's cookies.
  if (origin === null) return false;
  if (host === null) return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    // Includes the opaque `null` origin of sandboxed frames and file: pages.
    return true;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return true;
  return parsed.host.toLowerCase() !== host.toLowerCase();
}
