import { execFile } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, onPostgres, type TestApp } from "../helpers/app.ts";

const run = promisify(execFile);
const apiDir = fileURLToPath(new URL("../../", import.meta.url));
const bin = (name: string) => join(apiDir, "../../node_modules/.bin", name);

// What other teams do with the document: lint it, generate a typed client, compile a script
// against it. The document does not depend on the database, so this runs once (embedded).
const describeOnce = onPostgres ? describe.skip : describe;

// A script another team might write with the generated types: it must compile as it stands.
const TYPED_SCRIPT = `
import createClient from "openapi-fetch";
import type { paths } from "./schema.ts";

const client = createClient<paths>({ baseUrl: "http://localhost:4000" });

export async function tryIt(): Promise<string> {
  const signUp = await client.POST("/api/v1/auth/signup", { body: { email: "a@example.com", password: "long enough pass" } });
  if (!signUp.data) throw new Error(signUp.error.detail);
  const headers = { authorization: \`Bearer \${signUp.data.accessToken}\` };
  const created = await client.POST("/api/v1/todos", { headers, body: { title: "Buy milk", priority: "high" } });
  if (created.error) {
    // A typed 422: the fields and their messages.
    const messages: Record<string, string[]> | undefined = created.error.errors;
    return JSON.stringify(messages);
  }
  const list = await client.GET("/api/v1/todos", { headers, params: { query: { status: "active", limit: 10 } } });
  const first: string | undefined = list.data?.items[0]?.title;
  const patched = await client.PATCH("/api/v1/todos/{id}", {
    headers,
    params: { path: { id: created.data.id } },
    body: { completed: true },
  });
  return \`\${first} \${patched.data?.completed}\`;
}
`;

let t: TestApp;
let dir: string;
beforeAll(async () => {
  t = await buildTestApp();
  // Inside the package, so the script resolves openapi-fetch from node_modules.
  dir = mkdtempSync(join(apiDir, ".openapi-check-"));
  writeFileSync(join(dir, "openapi.json"), (await t.app.inject({ method: "GET", url: "/openapi.json" })).body);
});
afterAll(async () => {
  await t?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describeOnce("the OpenAPI document", () => {
  it("passes redocly lint with the recommended rules: no errors, no warnings", async () => {
    copyFileSync(join(apiDir, "redocly.yaml"), join(dir, "redocly.yaml"));
    copyFileSync(join(apiDir, ".redocly.lint-ignore.yaml"), join(dir, ".redocly.lint-ignore.yaml"));
    // Offline, as every test: no usage telemetry.
    const env = { ...process.env, REDOCLY_TELEMETRY: "off" };
    const result = await run(bin("redocly"), ["lint", "openapi.json", "--format=json"], { cwd: dir, env }).catch(
      (error: { stdout: string }) => error,
    );
    const { problems } = JSON.parse(result.stdout) as { problems: { ruleId: string; message: string }[] };
    expect(problems.map((problem) => `${problem.ruleId}: ${problem.message}`)).toEqual([]);
  }, 60_000);

  it("names every operation and documents its errors as problem+json", async () => {
    const document = (await t.app.inject({ method: "GET", url: "/openapi.json" })).json();
    const ids: string[] = [];
    for (const [path, operations] of Object.entries<Record<string, Record<string, unknown>>>(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(operation.operationId, `${method} ${path}`).toEqual(expect.any(String));
        expect(operation.summary, `${method} ${path}`).toEqual(expect.any(String));
        ids.push(operation.operationId as string);
        if (path.startsWith("/api/")) {
          const responses = operation.responses as Record<string, { content?: Record<string, unknown> }>;
          const clientErrors = Object.keys(responses).filter((status) => status.startsWith("4"));
          expect(clientErrors.length, `${method} ${path}`).toBeGreaterThan(0);
          for (const status of clientErrors) {
            expect(Object.keys(responses[status]?.content ?? {}), `${method} ${path} ${status}`).toEqual([
              "application/problem+json",
            ]);
          }
        }
      }
    }
    expect(new Set(ids).size).toBe(ids.length);
    expect(document.servers).toEqual([expect.objectContaining({ url: expect.any(String) })]);
  });

  it("generates a typed client that a script compiles against", async () => {
    const types = astToString(await openapiTS(new URL(`file://${join(dir, "openapi.json")}`)));
    writeFileSync(join(dir, "schema.ts"), types);
    writeFileSync(join(dir, "script.ts"), TYPED_SCRIPT);
    const compile = await run(
      bin("tsc"),
      [
        "--noEmit",
        "--strict",
        "--target",
        "es2022",
        "--module",
        "nodenext",
        "--allowImportingTsExtensions",
        "--skipLibCheck",
        join(dir, "script.ts"),
      ],
      { cwd: dir },
    ).catch((error: { stdout: string }) => error);
    expect(compile.stdout).toBe("");
  }, 60_000);
});
