/**
 * Where to send someone after sign-in. Only a path on this site is accepted: an open redirect
 * would let a phishing link borrow our sign-in page. Browsers treat `//host`, `/\host` and their
 * percent-encoded or tab-laden variants as other hosts, so anything that could become one is refused.
 */
export const DEFAULT_NEXT = "/";
const MAX_LENGTH = 2048;
const AUTH_PAGES = new Set(["/signin", "/signup"]);

export function safeNextPath(raw: string | null | undefined): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > MAX_LENGTH) return DEFAULT_NEXT;
  if (!isSameSitePath(raw)) return DEFAULT_NEXT;
  // Normalise through the URL parser so what we hand back is exactly what a browser would follow.
  const base = "http://taskvault.invalid";
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return DEFAULT_NEXT;
  }
  if (url.origin !== base) return DEFAULT_NEXT;
  // Sending a just-signed-in user back to a sign-in page would only bounce them around.
  if (AUTH_PAGES.has(url.pathname)) return DEFAULT_NEXT;
  return `${url.pathname}${url.search}${url.hash}`;
}

function isSameSitePath(raw: string): boolean {
  let candidate = raw;
  // Check every decoding layer: `/%2F%2Fevil.example` and `/%252F…` must not slip through
  // whichever layer a later hop decodes.
  for (let layer = 0; layer < 4; layer++) {
    if (!candidate.startsWith("/")) return false;
    if (candidate.startsWith("//")) return false;
    // Backslashes become slashes in browsers (`/\evil.example`); control characters such as tab
    // and newline are stripped, which can join `/` and `/` into `//`.
    if (candidate.includes("\\") || hasControlCharacter(candidate)) return false;
    let decoded: string;
    try {
      decoded = decodeURIComponent(candidate);
    } catch {
      return false;
    }
    if (decoded === candidate) return true;
    candidate = decoded;
  }
  // Still changing after four decodings: nobody legitimate builds such a link.
  return false;
}

function hasControlCharacter(value: string): boolean {
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
