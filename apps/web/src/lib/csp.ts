/**
 * The page Content-Security-Policy. Scripts run only with this response's nonce ('strict-dynamic'
 * lets Next's nonce-carrying loader pull in its own chunks); nothing may frame us.
 */
export function pageContentSecurityPolicy({
  nonce,
  isDevelopment,
  isSecure,
}: {
  nonce: string;
  isDevelopment: boolean;
  isSecure: boolean;
}): string {
  const directives = [
    "default-src 'self'",
    // React's development build evaluates code for its error overlay; production never does.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDevelopment ? " 'unsafe-eval'" : ""}`,
    isDevelopment ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ];
  if (isSecure) directives.push("upgrade-insecure-requests");
  return directives.join("; ");
}
