import type { FastifyInstance } from "fastify";

export interface DeclaredRoute {
  method: string;
  url: string;
}

/**
 * Every route the app declares (HEAD aside), read from Fastify's own route tree, so a route added
 * tomorrow is checked without anyone listing it in a test.
 */
export function declaredRoutes(app: FastifyInstance): DeclaredRoute[] {
  const routes: DeclaredRoute[] = [];
  const parents: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split("\n")) {
    const match = /^([│ ]*)[├└]── (\S*)(?: \(([^)]*)\))?/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    const url = (parents[depth - 1] ?? "") + match[2];
    parents[depth] = url;
    parents.length = depth + 1;
    for (const method of (match[3] ?? "").split(", ").filter(Boolean)) {
      if (method !== "HEAD") routes.push({ method, url });
    }
  }
  return routes;
}

/** The only routes that answer without a token. Everything else must say 401. */
export const PUBLIC_ROUTES = [
  "GET /healthz",
  "GET /readyz",
  "GET /.well-known/jwks.json",
  "GET /openapi.json",
  "GET /api/v1/auth/config",
  "POST /api/v1/auth/signup",
  "POST /api/v1/auth/signin",
  "POST /api/v1/auth/refresh",
  "POST /api/v1/auth/signin/mfa",
  "POST /api/v1/auth/passkey/options",
  "POST /api/v1/auth/passkey",
  "POST /api/v1/auth/email/verify",
  "POST /api/v1/auth/password/forgot",
  "POST /api/v1/auth/password/reset",
  "GET /api/v1/auth/oidc",
  "POST /api/v1/auth/oidc/start",
  "POST /api/v1/auth/oidc/callback",
];

export const isPublicRoute = ({ method, url }: DeclaredRoute) =>
  PUBLIC_ROUTES.includes(`${method} ${url}`) || url === "/docs" || url.startsWith("/docs/") || url.startsWith("/docs*");

/** A concrete URL for a route: every path parameter becomes a well-formed id nobody has. */
export const concreteUrl = (route: DeclaredRoute) =>
  route.url.replaceAll(/:\w+/g, "01890000-0000-7000-8000-000000000000");
