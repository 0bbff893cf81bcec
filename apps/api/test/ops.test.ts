import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, createTestDatabase, type TestApp } from "./helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t?.close());

describe("operations", () => {
  it("/healthz answers 200 without a token", async () => {
    const response = await t.app.inject({ method: "GET", url: "/healthz" });
    expect(response.statusCode).toBe(200);
  });

  it("/readyz answers 200 while the database answers", async () => {
    const response = await t.app.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(200);
  });

  it("/readyz answers 503 problem+json when the database does not, while /healthz stays 200", async () => {
    const database = await createTestDatabase();
    const app = await buildTestApp({}, database);
    try {
      await database.handle.close();
      const response = await app.app.inject({ method: "GET", url: "/readyz" });
      expect(response.statusCode).toBe(503);
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ status: 503, code: "service_unavailable" });
      expect(response.body).not.toMatch(/pglite|postgres|closed|ended/i);
      expect((await app.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    } finally {
      await app.close();
      await database.drop().catch(() => {});
    }
  });

  it("/openapi.json is an OpenAPI document with the todo and auth paths", async () => {
    const response = await t.app.inject({ method: "GET", url: "/openapi.json" });
    expect(response.statusCode).toBe(200);
    const document = response.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info.title).toEqual(expect.any(String));
    for (const path of [
      "/api/v1/todos",
      "/api/v1/todos/{id}",
      "/api/v1/todos/complete-all",
      "/api/v1/auth/signup",
      "/api/v1/auth/signin",
      "/api/v1/auth/refresh",
      "/api/v1/me",
      "/api/v1/me/password",
    ]) {
      expect(document.paths[path] ?? document.paths[`${path}/`], path).toBeDefined();
    }
    const todos = document.paths["/api/v1/todos"] ?? document.paths["/api/v1/todos/"];
    expect(Object.keys(todos)).toEqual(expect.arrayContaining(["get", "post", "delete"]));
    const item = document.paths["/api/v1/todos/{id}"];
    expect(Object.keys(item)).toEqual(expect.arrayContaining(["get", "patch", "put", "delete"]));
    // Generated from the same schemas that validate: the create body names the writable fields.
    const createBody = JSON.stringify(todos.post.requestBody);
    for (const field of ["title", "description", "dueAt", "priority", "tags"]) expect(createBody).toContain(field);
    expect(JSON.stringify(todos.get.parameters)).toContain("cursor");
  });

  it("/docs serves the interactive reference as HTML", async () => {
    let response = await t.app.inject({ method: "GET", url: "/docs" });
    for (let hops = 0; hops < 3 && response.statusCode >= 300 && response.statusCode < 400; hops++) {
      response = await t.app.inject({ method: "GET", url: response.headers.location as string });
    }
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
    expect(response.body).toMatch(/<html/i);
  });
});
