import { generateKeyPairSync, sign } from "node:crypto";
import type { Session } from "@taskvault/contract/auth";
import { decodeJwt, decodeProtectedHeader, exportJWK, type JWTHeaderParameters, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, signUp, type TestApp } from "../helpers/app.ts";

let t: TestApp;
let session: Session;
beforeAll(async () => {
  t = await buildTestApp();
  session = await signUp(t.app);
});
afterAll(() => t?.close());

const now = () => Math.floor(Date.now() / 1000);

const getMe = (authorization?: string) =>
  t.app.inject({ method: "GET", url: "/api/v1/me", headers: authorization === undefined ? {} : { authorization } });

async function expectInvalidToken(token: string) {
  const response = await getMe(`Bearer ${token}`);
  expect(response.statusCode).toBe(401);
  expect(response.headers["www-authenticate"]).toMatch(/^Bearer /);
  expect(response.headers["www-authenticate"]).toContain('error="invalid_token"');
  expect(response.json().code).toBe("invalid_token");
  return response;
}

interface Craft {
  header?: Partial<JWTHeaderParameters> & Record<string, unknown>;
  claims?: Record<string, unknown>;
  key?: Parameters<SignJWT["sign"]>[0];
}

/** A token like ours, signed with our real private key unless told otherwise, with overrides. */
async function craft({ header = {}, claims = {}, key }: Craft = {}): Promise<string> {
  const current = t.app.auth.keys.current();
  const issuedAt = now();
  const payload = {
    iss: t.config.AUTH_ISSUER,
    aud: t.config.AUTH_AUDIENCE,
    sub: session.user.id,
    sid: decodeJwt(session.accessToken).sid,
    jti: crypto.randomUUID(),
    iat: issuedAt,
    exp: issuedAt + 600,
    ...claims,
  };
  for (const [name, value] of Object.entries(payload))
    if (value === undefined) delete (payload as Record<string, unknown>)[name];
  return new SignJWT(payload)
    .setProtectedHeader({ alg: "EdDSA", typ: "at+jwt", kid: current.kid, ...header } as JWTHeaderParameters)
    .sign(key ?? current.privateKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Signs any header with our real key, bypassing jose's own checks (it refuses unknown crit). */
async function signRaw(header: Record<string, unknown>): Promise<string> {
  const current = t.app.auth.keys.current();
  const input = `${b64({ alg: "EdDSA", typ: "at+jwt", kid: current.kid, ...header })}.${b64(decodeJwt(await craft()))}`;
  return `${input}.${sign(null, Buffer.from(input), current.privateKey).toString("base64url")}`;
}

describe("access tokens", () => {
  it("are EdDSA JWTs with typ at+jwt, our kid and the contract's claims", async () => {
    const header = decodeProtectedHeader(session.accessToken);
    expect(header).toMatchObject({ alg: "EdDSA", typ: "at+jwt", kid: t.app.auth.keys.current().kid });
    const claims = decodeJwt(session.accessToken);
    expect(claims).toMatchObject({ iss: "taskvault", aud: "taskvault-api", sub: session.user.id });
    for (const claim of ["sid", "jti", "iat", "exp"]) expect(claims[claim]).toBeDefined();
    expect((claims.exp as number) - (claims.iat as number)).toBe(600);
    expect(claims.sid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("a crafted token just like ours is accepted (the harness is sound)", async () => {
    expect((await getMe(`Bearer ${await craft()}`)).statusCode).toBe(200);
  });

  it("refuses a request without a token: 401 with WWW-Authenticate Bearer and no error", async () => {
    const response = await getMe();
    expect(response.statusCode).toBe(401);
    expect(response.headers["www-authenticate"]).toMatch(/^Bearer\b/);
    expect(response.headers["www-authenticate"]).not.toContain("error=");
    expect(response.json().code).toBe("unauthorized");
  });

  it("refuses garbage and non-Bearer schemes with invalid_token", async () => {
    for (const token of ["garbage", "a.b.c", "....", `${b64({ alg: "EdDSA" })}.${b64({})}.`, "x".repeat(5000)]) {
      await expectInvalidToken(token);
    }
    const basic = await getMe(`Basic ${Buffer.from("a:b").toString("base64")}`);
    expect(basic.statusCode).toBe(401);
    expect(basic.headers["www-authenticate"]).toContain('error="invalid_token"');
  });

  it("refuses alg none", async () => {
    const claims = decodeJwt(await craft());
    await expectInvalidToken(
      `${b64({ alg: "none", typ: "at+jwt", kid: t.app.auth.keys.current().kid })}.${b64(claims)}.`,
    );
    await expectInvalidToken(`${b64({ alg: "none", typ: "at+jwt" })}.${b64(claims)}.`);
  });

  it("refuses HS256 signed with the public key bytes or any secret", async () => {
    const { kid } = t.app.auth.keys.current();
    const jwk = t.app.auth.keys.jwks().keys.find((candidate) => candidate.kid === kid)!;
    const secrets = [
      new TextEncoder().encode(JSON.stringify(jwk)),
      Buffer.from(jwk.x as string, "base64url"),
      new TextEncoder().encode(jwk.x as string),
      new TextEncoder().encode("secret"),
    ];
    for (const secret of secrets) {
      await expectInvalidToken(await craft({ header: { alg: "HS256" }, key: secret }));
    }
  });

  it("refuses a token signed by a foreign Ed25519 key that claims our kid", async () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    await expectInvalidToken(await craft({ key: privateKey }));
  });

  it("refuses an unknown kid and a missing kid", async () => {
    await expectInvalidToken(await craft({ header: { kid: "not-a-key-we-have" } }));
    await expectInvalidToken(await craft({ header: { kid: undefined } }));
  });

  it("refuses tokens that name their own key (jku, x5u, jwk) or demand extensions (crit)", async () => {
    const { publicKey, privateKey } = generateKeyPairSync("ed25519");
    const foreignJwk = await exportJWK(publicKey);
    await expectInvalidToken(await craft({ header: { jku: "https://evil.example/jwks.json" } }));
    await expectInvalidToken(await craft({ header: { x5u: "https://evil.example/cert.pem" } }));
    await expectInvalidToken(await craft({ header: { jwk: foreignJwk }, key: privateKey }));
    await expectInvalidToken(await craft({ header: { jwk: foreignJwk } }));
    expect((await getMe(`Bearer ${await signRaw({})}`)).statusCode).toBe(200);
    await expectInvalidToken(await signRaw({ crit: ["x-taskvault-ext"], "x-taskvault-ext": true }));
    await expectInvalidToken(await signRaw({ crit: ["b64"], b64: true }));
    await expectInvalidToken(await signRaw({ x5c: ["MIIB"] }));
  });

  it("refuses a wrong or missing typ", async () => {
    await expectInvalidToken(await craft({ header: { typ: "JWT" } }));
    await expectInvalidToken(await craft({ header: { typ: "refresh+jwt" } }));
    await expectInvalidToken(await craft({ header: { typ: undefined } }));
  });

  it("refuses a wrong issuer or audience", async () => {
    await expectInvalidToken(await craft({ claims: { iss: "someone-else" } }));
    await expectInvalidToken(await craft({ claims: { iss: undefined } }));
    await expectInvalidToken(await craft({ claims: { aud: "another-api" } }));
    await expectInvalidToken(await craft({ claims: { aud: undefined } }));
  });

  it("refuses a token without sub, sid, jti, iat or exp", async () => {
    for (const claim of ["sub", "sid", "jti", "iat", "exp"]) {
      await expectInvalidToken(await craft({ claims: { [claim]: undefined } }));
    }
    await expectInvalidToken(await craft({ claims: { sub: "not-a-uuid" } }));
  });

  it("refuses a token expired beyond the 30 s clock skew", async () => {
    await expectInvalidToken(await craft({ claims: { iat: now() - 700, exp: now() - 31 } }));
    await expectInvalidToken(await craft({ claims: { iat: now() - 7000, exp: now() - 3600 } }));
  });

  it("accepts a token that expired within the 30 s leeway", async () => {
    expect((await getMe(`Bearer ${await craft({ claims: { iat: now() - 600, exp: now() - 20 } })}`)).statusCode).toBe(
      200,
    );
  });

  it("refuses a token issued in the future beyond the skew", async () => {
    await expectInvalidToken(await craft({ claims: { iat: now() + 120, exp: now() + 720 } }));
    await expectInvalidToken(await craft({ claims: { nbf: now() + 120 } }));
  });

  it("refuses the refresh token used as a Bearer token", async () => {
    await expectInvalidToken(session.refreshToken);
  });

  it("refuses a token of another type signed with our key", async () => {
    await expectInvalidToken(await craft({ header: { typ: "id_token+jwt" } }));
    await expectInvalidToken(await craft({ header: { typ: "application/jwt" } }));
  });

  it("refuses a validly signed token for a user that does not exist", async () => {
    const response = await getMe(`Bearer ${await craft({ claims: { sub: crypto.randomUUID() } })}`);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("invalid_token");
  });

  it("tolerates extra spaces after Bearer and refuses an empty token", async () => {
    expect((await getMe(`Bearer   ${session.accessToken}`)).statusCode).toBe(200);
    for (const header of ["Bearer", "Bearer ", "Bearer    ", "Bearer a b"]) {
      const response = await getMe(header);
      expect(response.statusCode).toBe(401);
      expect(response.headers["www-authenticate"]).toMatch(/^Bearer\b/);
    }
  });
});

describe("JWKS", () => {
  it("publishes the public key with the kid of our tokens, and no private parts", async () => {
    const response = await t.app.inject({ method: "GET", url: "/.well-known/jwks.json" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    const { keys } = response.json() as { keys: Record<string, unknown>[] };
    const kid = decodeProtectedHeader(session.accessToken).kid;
    const key = keys.find((candidate) => candidate.kid === kid);
    expect(key).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
    for (const candidate of keys) {
      for (const secret of ["d", "p", "q", "dp", "dq", "qi", "k"]) expect(candidate).not.toHaveProperty(secret);
    }
  });
});
