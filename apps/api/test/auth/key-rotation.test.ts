import { randomBytes } from "node:crypto";
import { decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveSecrets } from "../../src/auth/secrets.ts";
import { rotateSigningKey } from "../../src/auth/signing-keys.ts";
import { as, buildTestApp, createTestDatabase, signUp, type TestApp, type TestDatabase } from "../helpers/app.ts";

const secret = randomBytes(32).toString("base64");
let database: TestDatabase;
let first: TestApp;
let second: TestApp;
beforeAll(async () => {
  database = await createTestDatabase();
  first = await buildTestApp({ AUTH_KEY_SECRET: secret }, database);
  second = await buildTestApp({ AUTH_KEY_SECRET: secret }, database);
});
afterAll(async () => {
  await first?.close();
  await second?.close();
  await database?.drop();
});

const jwksKids = async (t: TestApp) =>
  (
    (await t.app.inject({ method: "GET", url: "/.well-known/jwks.json" })).json() as { keys: { kid: string }[] }
  ).keys.map((key) => key.kid);

describe("signing keys", () => {
  it("a second instance on the same database and secret accepts the first's tokens", async () => {
    const session = await signUp(first.app);
    expect((await as(second.app, session)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
    expect(second.app.auth.keys.current().kid).toBe(first.app.auth.keys.current().kid);
  });

  it("rotation signs nobody out: old tokens verify, new tokens carry the new kid, the JWKS has both", async () => {
    const before = await signUp(first.app);
    const oldKid = decodeProtectedHeader(before.accessToken).kid as string;
    const newKid = await rotateSigningKey(
      database.handle.db,
      deriveSecrets(Buffer.from(secret, "base64")).keyEncryptionKey,
    );
    expect(newKid).not.toBe(oldKid);
    await first.app.auth.keys.reload();

    expect((await as(first.app, before)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
    const after = await signUp(first.app);
    expect(decodeProtectedHeader(after.accessToken).kid).toBe(newKid);
    expect(await jwksKids(first)).toEqual(expect.arrayContaining([oldKid, newKid]));

    // The second instance has not reloaded yet: an unknown kid makes it look again.
    expect((await as(second.app, after)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
    expect((await as(second.app, before)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
    expect(await jwksKids(second)).toEqual(expect.arrayContaining([oldKid, newKid]));

    // A refresh after rotation gets a token signed with the new key.
    const refreshed = await first.app.inject({
      method: "POST",
      url: "/api/v1/auth/refresh",
      payload: { refreshToken: before.refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    expect(decodeProtectedHeader(refreshed.json().accessToken).kid).toBe(newKid);
  });

  it("an instance with a different AUTH_KEY_SECRET cannot use the stored keys", async () => {
    await expect(buildTestApp({ AUTH_KEY_SECRET: randomBytes(32).toString("base64") }, database)).rejects.toThrow();
  });
});
