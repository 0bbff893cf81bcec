/** A short human name for a session's User-Agent: "Chrome on Linux". */
export function describeDevice(userAgent: string | null): string {
  if (!userAgent) return "Unknown device";
  const browser =
    (/Edg\//.test(userAgent) && "Edge") ||
    (/Firefox\//.test(userAgent) && "Firefox") ||
    (/(Chrome|Chromium)\//.test(userAgent) && "Chrome") ||
    (/Safari\//.test(userAgent) && "Safari") ||
    (/curl\//i.test(userAgent) && "curl") ||
    (/node|undici/i.test(userAgent) && "Script") ||
    "Browser";
  const system =
    (/Android/.test(userAgent) && "Android") ||
    (/iPhone|iPad|iOS/.test(userAgent) && "iOS") ||
    (/Mac OS X|Macintosh/.test(userAgent) && "macOS") ||
    (/Windows/.test(userAgent) && "Windows") ||
    (/Linux|X11/.test(userAgent) && "Linux") ||
    null;
  return system ? `${browser} on ${system}` : browser;
}
