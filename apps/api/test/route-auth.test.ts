import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, buildTestApp, PASSWORD, signUp, type TestApp } from "./helpers/app.ts";
import { concreteUrl, type DeclaredRoute, declaredRoutes, isPublicRoute, PUBLIC_ROUTES } from "./helpers/routes.ts";

let t: TestApp;
let routes: DeclaredRoute[];
beforeAll(async () => {
  t = await buildTestApp();
  routes = declaredRoutes(t.app);
});
afterAll(() => t?.close());

describe("route authentication", () => {
  it("reads every declared route, the public ones included", () => {
    expect(routes.length).toBeGreaterThan(25);
    for (const entry of PUBLIC_ROUTES) {
      expect(routes.map(({ method, url }) => `${method} ${url}`)).toContain(entry);
    }
  });

  it("answers 401 without a token on every route that is not deliberately public", async () => {
    const unprotected: string[] = [];
    for (const route of routes.filter((candidate) => !isPublicRoute(candidate))) {
      const url = concreteUrl(route);
      const response = await t.app.inject({ method: route.method as "GET", url, payload: {} });
      if (response.statusCode !== 401) unprotected.push(`${route.method} ${route.url} → ${response.statusCode}`);
    }
    expect(unprotected).toEqual([]);
  });

  it("documents each API operation's security: a bearer token, or none for the public ones", async () => {
    const document = (await t.app.inject({ method: "GET", url: "/openapi.json" })).json();
    for (const [path, operations] of Object.entries<Record<string, { security?: unknown }>>(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const url = path.replaceAll(/\{(\w+)\}/g, ":$1");
        const expected = isPublicRoute({ method: method.toUpperCase(), url }) ? [] : [{ bearer: [] }];
        expect(operation.security, `${method} ${path}`).toEqual(expected);
      }
    }
  });
});

/** Routes an API token is for (contract: todo, list, change, event and export/import routes). */
const TOKEN_PATHS = /^\/api\/v1\/(todos|lists|changes|events|export|import)(\/|$)/;
/** Sharing a list with someone else is the account holder's act, never a script's (decision 024). */
const SHARING_WRITES =
  /^(POST|GET) \/api\/v1\/lists\/:id\/invitations$|^(PATCH|DELETE) \/api\/v1\/lists\/:id\/members\//;
const takesTokens = (name: string) => TOKEN_PATHS.test(name.split(" ")[1]!) && !SHARING_WRITES.test(name);

describe("API tokens on every route", () => {
  it("each protected route either declares its scopes or refuses API tokens with 403 forbidden", async () => {
    const session = await signUp(t.app);
    // lists:read alone: a route that declares scopes either lets it through or names what it lacks.
    const created = await as(
      t.app,
      session,
    )({
      method: "POST",
      url: "/api/v1/me/tokens",
      payload: { name: "route census", scopes: ["lists:read"], password: PASSWORD },
    });
    const token = created.json().token as string;
    const refusing: string[] = [];
    const accepting: string[] = [];
    const wrong: string[] = [];
    for (const route of routes.filter((candidate) => !isPublicRoute(candidate))) {
      const url = concreteUrl(route);
      const response = await as(t.app, { accessToken: token })({ method: route.method as "GET", url, payload: {} });
      const name = `${route.method} ${route.url}`;
      const code = String(response.headers["content-type"]).includes("json") ? response.json().code : undefined;
      if (response.statusCode === 403 && code === "forbidden") refusing.push(name);
      else if (response.statusCode === 403 && code === "insufficient_scope") {
        expect(response.headers["www-authenticate"], name).toMatch(
          /^Bearer .*error="insufficient_scope", scope="[a-z: ]+"$/,
        );
        accepting.push(name);
      } else if (response.statusCode === 401 || response.statusCode === 403 || response.statusCode >= 500) {
        wrong.push(`${name} → ${response.statusCode} ${code}`);
      } else accepting.push(name);
    }
    expect(wrong).toEqual([]);
    expect(accepting.filter((name) => !takesTokens(name))).toEqual([]);
    expect(refusing.filter((name) => takesTokens(name))).toEqual([]);
    expect(refusing).toContain("POST /api/v1/me/tokens");
    expect(refusing).toContain("GET /api/v1/auth/sessions");
    expect(accepting).toContain("GET /api/v1/events");
    // Sharing (decision 026): who is in a list is a list read; inviting, changing or ending
    // memberships and answering invitations are the account holder's acts, never a script's.
    const sharing = [...accepting, ...refusing].filter((name) => /\/(invitations|members)(\/|$)/.test(name));
    expect(sharing.filter((name) => accepting.includes(name))).toEqual(["GET /api/v1/lists/:id/members"]);
    expect(sharing.filter((name) => refusing.includes(name)).sort()).toEqual(
      [
        "DELETE /api/v1/invitations/:id",
        "DELETE /api/v1/lists/:id/members/:userId",
        "GET /api/v1/invitations",
        "GET /api/v1/lists/:id/invitations",
        "PATCH /api/v1/lists/:id/members/:userId",
        "POST /api/v1/invitations/:id/accept",
        "POST /api/v1/lists/:id/invitations",
      ].sort(),
    );
  });

  it("lets a token with lists:read read a list's members, and names lists:read to one without it", async () => {
    const session = await signUp(t.app);
    const api = as(t.app, session);
    const list = (await api({ method: "POST", url: "/api/v1/lists", payload: { name: "Scripted" } })).json();
    const tokenWith = async (scopes: string[]) =>
      (
        await api({
          method: "POST",
          url: "/api/v1/me/tokens",
          payload: { name: scopes.join(" "), scopes, password: PASSWORD },
        })
      ).json().token as string;
    const url = `/api/v1/lists/${list.id}/members`;
    const allowed = await as(t.app, { accessToken: await tokenWith(["lists:read"]) })({ method: "GET", url });
    expect(allowed.statusCode).toBe(200);
    expect(allowed.json().items).toMatchObject([{ userId: session.user.id, role: "owner" }]);
    const lacking = await as(t.app, { accessToken: await tokenWith(["todos:read"]) })({ method: "GET", url });
    expect(lacking.statusCode).toBe(403);
    expect(lacking.headers["www-authenticate"]).toContain('scope="lists:read"');
  });
});
