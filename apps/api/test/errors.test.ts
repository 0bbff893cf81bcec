import type { Session } from "@taskvault/contract/auth";
import { Problem } from "@taskvault/contract/errors";
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { as, buildTestApp, signUp, type TestApp } from "./helpers/app.ts";

let t: TestApp;
let session: Session;
let todoId: string;
beforeAll(async () => {
  t = await buildTestApp();
  session = await signUp(t.app);
  todoId = (await as(t.app, session)({ method: "POST", url: "/api/v1/todos", payload: { title: "target" } })).json().id;
});
afterAll(() => t?.close());

const api = (options: InjectOptions) => as(t.app, session)(options);

/** Every error: RFC 9457 problem+json with a stable code, and nothing internal. */
function expectProblem(response: LightMyRequestResponse, status: number, code?: string) {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
  const body = Problem.strict().parse(response.json());
  expect(body.status).toBe(status);
  for (const field of ["type", "title", "detail", "code"] as const) expect(body[field]).toEqual(expect.any(String));
  if (code) expect(body.code).toBe(code);
  expectNothingInternal(response);
  return body;
}

function expectNothingInternal(response: LightMyRequestResponse) {
  expect(response.statusCode).toBeLessThan(500);
  expect(response.body).not.toMatch(
    /\n\s+at |node_modules|\.ts:\d|select |insert into|SQLSTATE|drizzle|postgres|pglite|FST_/i,
  );
}

const postTodo = (payload: string, contentType = "application/json") =>
  api({ method: "POST", url: "/api/v1/todos", payload, headers: { "content-type": contentType } });

describe("error bodies", () => {
  it("malformed JSON is 400 invalid_json", async () => {
    for (const payload of ["{", '{"title": }', "{'title': 'x'}", "nul", '{"title":"x"}}']) {
      expectProblem(await postTodo(payload), 400, "invalid_json");
    }
    expectProblem(
      await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signin",
        payload: "{",
        headers: { "content-type": "application/json" },
      }),
      400,
      "invalid_json",
    );
  });

  it("a non-JSON content type is 415", async () => {
    expectProblem(await postTodo("title=x", "application/x-www-form-urlencoded"), 415, "unsupported_media_type");
    expectProblem(await postTodo('{"title":"x"}', "text/plain"), 415, "unsupported_media_type");
    expectProblem(await postTodo("<title>x</title>", "application/xml"), 415, "unsupported_media_type");
    expectProblem(await postTodo("--b\r\n", "multipart/form-data; boundary=b"), 415, "unsupported_media_type");
    expect((await postTodo('{"title":"x"}', "application/json; charset=utf-8")).statusCode).toBe(201);
  });

  it("a body over 64 KiB is 413", async () => {
    const payload = JSON.stringify({ title: "x", description: "y".repeat(70 * 1024) });
    expectProblem(await postTodo(payload), 413, "payload_too_large");
    expectProblem(
      await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: JSON.stringify({ email: "a@example.com", password: "p".repeat(70 * 1024) }),
        headers: { "content-type": "application/json" },
      }),
      413,
    );
  });

  it("a bad query string is 400 invalid_query", async () => {
    expectProblem(await api({ method: "GET", url: "/api/v1/todos?limit=abc" }), 400, "invalid_query");
    expectProblem(await api({ method: "GET", url: "/api/v1/todos?status[]=x" }), 400);
    expectProblem(await api({ method: "GET", url: "/api/v1/todos?limit=1&limit=2" }), 400);
  });

  it("an unknown route is 404 problem+json", async () => {
    expectProblem(await t.app.inject({ method: "GET", url: "/nope" }), 404, "not_found");
    expectProblem(await t.app.inject({ method: "GET", url: "/api/v2/todos" }), 404, "not_found");
    expectProblem(await api({ method: "PATCH", url: "/api/v1/todos" }), 404);
  });

  it("422 carries the field map", async () => {
    const body = expectProblem(
      await api({ method: "POST", url: "/api/v1/todos", payload: { title: "" } }),
      422,
      "validation_failed",
    );
    expect(body.errors?.title).toEqual([expect.any(String)]);
  });

  it("401, 404, 409, 412 are problem+json too", async () => {
    expectProblem(await t.app.inject({ method: "GET", url: "/api/v1/todos" }), 401, "unauthorized");
    expectProblem(await api({ method: "GET", url: `/api/v1/todos/${crypto.randomUUID()}` }), 404, "not_found");
    expectProblem(
      await t.app.inject({
        method: "POST",
        url: "/api/v1/auth/signup",
        payload: { email: session.user.email, password: "long enough passphrase" },
      }),
      409,
      "email_taken",
    );
    expectProblem(
      await api({
        method: "PATCH",
        url: `/api/v1/todos/${todoId}`,
        payload: { title: "x" },
        headers: { "if-match": '"999"' },
      }),
      412,
      "precondition_failed",
    );
  });
});

describe("hostile input never causes a 5xx", () => {
  it("deeply nested JSON", async () => {
    const depth = 20_000;
    const nested = `${"[".repeat(depth)}${"]".repeat(depth)}`;
    for (const payload of [
      nested,
      `{"title":${nested}}`,
      `{"title":"x","tags":${nested}}`,
      `{"title":"x","extra":${nested}}`,
    ]) {
      const response = await postTodo(payload);
      expectNothingInternal(response);
      expect([400, 413, 422]).toContain(response.statusCode);
    }
    const objects = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    expectNothingInternal(await postTodo(objects));
  });

  it("huge strings, unicode, null bytes and odd values", async () => {
    const payloads: unknown[] = [
      { title: "x".repeat(60_000) },
      { title: "\u0000" },
      { title: "nul\u0000byte", description: "\u0000\u0000" },
      { title: "ok", tags: ["\u0000"] },
      { title: "\ud800" },
      { title: "🦊".repeat(200) },
      { title: "‮RTL" },
      { title: "x", dueAt: "9999-12-31T23:59:59Z" },
      { title: "x", dueAt: "0000-01-01T00:00:00Z" },
      { title: "x", position: 1e308 },
      { title: "x", position: -1e308 },
      { title: "x", __proto__: { admin: true } },
      { title: "x", constructor: { prototype: {} } },
      [],
      [{ title: "x" }],
      "title",
      42,
      null,
      true,
    ];
    for (const payload of payloads) {
      const response = await postTodo(JSON.stringify(payload));
      expectNothingInternal(response);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).not.toBe(500);
    }
    const raw = await postTodo('{"title":"x","__proto__":{"polluted":true}}');
    expectNothingInternal(raw);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    for (const payload of [
      { email: "\u0000@example.com", password: "\u0000".repeat(10) },
      { email: ["a@b.c"], password: {} },
    ]) {
      expectNothingInternal(await t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload }));
      expectNothingInternal(await t.app.inject({ method: "POST", url: "/api/v1/auth/signin", payload }));
    }
  });

  it("null bytes and unicode in titles are stored and returned faithfully when valid", async () => {
    const response = await api({ method: "POST", url: "/api/v1/todos", payload: { title: "🦊 Füße ‮" } });
    expect(response.statusCode).toBe(201);
    expect(response.json().title).toBe("🦊 Füße ‮");
    const withNul = await api({ method: "POST", url: "/api/v1/todos", payload: { title: "a\u0000b" } });
    expect([201, 422]).toContain(withNul.statusCode);
  });

  it("arrays or scalars where objects are expected are 422 or 400", async () => {
    for (const payload of ["[]", "[1,2]", '"x"', "1", "null", "true"]) {
      const response = await postTodo(payload);
      expectNothingInternal(response);
      expect([400, 422]).toContain(response.statusCode);
    }
    expectNothingInternal(
      await api({
        method: "PATCH",
        url: `/api/v1/todos/${todoId}`,
        payload: "[]",
        headers: { "content-type": "application/json" },
      }),
    );
  });

  it("an empty body or no content type on a JSON endpoint is a 422 naming the missing body", async () => {
    const empty = await api({
      method: "POST",
      url: "/api/v1/todos",
      payload: "",
      headers: { "content-type": "application/json" },
    });
    expectProblem(empty, 422);
    expectNothingInternal(await api({ method: "POST", url: "/api/v1/todos" }));
    expect((await api({ method: "POST", url: "/api/v1/todos" })).statusCode).toBe(422);
  });

  it("accepts an empty JSON body on an endpoint that takes none", async () => {
    const response = await api({
      method: "POST",
      url: "/api/v1/todos/complete-all",
      payload: "",
      headers: { "content-type": "application/json" },
    });
    expect(response.statusCode).toBe(200);
  });

  it("invalid ids in paths are 404", async () => {
    for (const id of [
      "not-a-uuid",
      "1",
      "' or 1=1 --",
      "%00",
      "..%2F..%2Fetc",
      "x".repeat(300),
      `${todoId}x`,
      "%E2%80%AE",
    ]) {
      for (const method of ["GET", "PATCH", "PUT", "DELETE"] as const) {
        const response = await api({
          method,
          url: `/api/v1/todos/${id}`,
          ...(method === "PATCH" || method === "PUT" ? { payload: { title: "x" } } : {}),
        });
        expectNothingInternal(response);
        expect(response.statusCode, `${method} ${id}`).toBe(404);
        expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
      }
    }
    expectProblem(await api({ method: "DELETE", url: "/api/v1/auth/sessions/not-a-uuid" }), 404);
  });

  it("a URL that cannot be decoded is 400 problem+json", async () => {
    for (const url of ["/api/v1/todos/%ZZ", "/api/v1/todos/%", "/api/v1/todos/%E0%A4%A"]) {
      expectProblem(await api({ method: "GET", url }), 400, "bad_request");
    }
  });

  it("weird If-Match and Idempotency-Key headers", async () => {
    for (const ifMatch of [
      "",
      "*,*",
      '"',
      '""',
      '"-1"',
      '"99999999999999999999"',
      'W/"abc"',
      "\u00ff",
      "x".repeat(2000),
      '"1"'.repeat(300),
    ]) {
      const response = await api({
        method: "PATCH",
        url: `/api/v1/todos/${todoId}`,
        payload: { title: "x" },
        headers: { "if-match": ifMatch },
      });
      expectNothingInternal(response);
      expect([200, 400, 412], JSON.stringify(ifMatch)).toContain(response.statusCode);
    }
    for (const key of ["", " ", "\u00ff", "x".repeat(5000), "a,b", "🦊", "key\u007f"]) {
      const response = await api({
        method: "POST",
        url: "/api/v1/todos",
        payload: { title: "k" },
        headers: { "idempotency-key": key },
      });
      expectNothingInternal(response);
      expect([201, 400], JSON.stringify(key)).toContain(response.statusCode);
    }
  });

  it("odd Authorization headers are 401 with WWW-Authenticate", async () => {
    for (const authorization of [
      "Bearer ",
      "Bearer      ",
      "Bearer  a  b ",
      "bearer",
      "Bearer \u00ff",
      `Bearer ${"a".repeat(10_000)}`,
      `Bearer ${session.accessToken}x`,
      `Bearer ${session.accessToken.split(".").slice(0, 2).join(".")}.`,
      `Bearer ${session.accessToken} ${session.accessToken}`,
      "Token abc",
      "Bearer null",
      "Bearer undefined",
    ]) {
      const response = await t.app.inject({ method: "GET", url: "/api/v1/todos", headers: { authorization } });
      expectProblem(response, 401);
      expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
    }
  });

  it("odd query strings", async () => {
    for (const query of [
      "q=%00",
      "q=%25%25%25",
      `q=${"x".repeat(5000)}`,
      "tz=%00",
      "tz=../../etc/passwd",
      "cursor=%00",
      "cursor=W10",
      "limit=1e2",
      "limit=0x10",
      "limit=99999999999999999999",
      "sort=title;drop",
      "tag=%00",
      `tag=${"t".repeat(100)}`,
      "q=%ZZ",
      "%=%",
      "&&&",
    ]) {
      const response = await api({ method: "GET", url: `/api/v1/todos?${query}` });
      expectNothingInternal(response);
      expect([200, 400], query).toContain(response.statusCode);
    }
  });
});
