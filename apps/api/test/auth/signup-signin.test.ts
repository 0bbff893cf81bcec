import { Session } from "@taskvault/contract/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isCommonPassword } from "../../src/auth/passwords.ts";
import { buildTestApp, PASSWORD, signUp, type TestApp, uniqueEmail } from "../helpers/app.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t?.close());

const signup = (payload: unknown) =>
  t.app.inject({ method: "POST", url: "/api/v1/auth/signup", payload: payload as object });
const signin = (payload: unknown) =>
  t.app.inject({ method: "POST", url: "/api/v1/auth/signin", payload: payload as object });

function expectValidationError(
  response: { statusCode: number; json(): unknown; headers: Record<string, unknown> },
  field: string,
) {
  expect(response.statusCode).toBe(422);
  expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
  const body = response.json() as { code: string; errors: Record<string, string[]> };
  expect(body.code).toBe("validation_failed");
  expect(body.errors[field]?.length).toBeGreaterThan(0);
}

describe("sign-up", () => {
  it("creates an account and answers 201 with a Session", async () => {
    const email = uniqueEmail();
    const response = await signup({ email, password: PASSWORD, name: "Ada" });
    expect(response.statusCode).toBe(201);
    const session = Session.parse(response.json());
    expect(Object.keys(response.json()).sort()).toEqual(
      ["accessToken", "expiresIn", "refreshExpiresIn", "refreshToken", "tokenType", "user"].sort(),
    );
    expect(Object.keys(response.json().user)).toEqual(expect.arrayContaining(["createdAt", "email", "id", "name"]));
    expect(session.tokenType).toBe("Bearer");
    expect(session.user).toMatchObject({ email, name: "Ada" });
    expect(session.expiresIn).toBe(600);
    expect(session.refreshExpiresIn).toBeGreaterThan(2_592_000 - 5);
    expect(session.refreshExpiresIn).toBeLessThanOrEqual(2_592_000);
    expect(response.body).not.toContain("password");
  });

  it("trims and lower-cases the email", async () => {
    const email = uniqueEmail("MixedCase");
    const response = await signup({ email: `  ${email.toUpperCase()}  `, password: PASSWORD });
    expect(response.statusCode).toBe(201);
    expect(response.json().user.email).toBe(email.toLowerCase());
  });

  it("refuses an email that is already registered, whatever its case, with 409 email_taken", async () => {
    const email = uniqueEmail();
    await signUp(t.app, email);
    for (const variant of [email, email.toUpperCase(), ` ${email} `]) {
      const response = await signup({ email: variant, password: PASSWORD });
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ status: 409, code: "email_taken" });
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
    }
  });

  it("gives one of two simultaneous sign-ups for one email a 409", async () => {
    const email = uniqueEmail();
    const responses = await Promise.all([signup({ email, password: PASSWORD }), signup({ email, password: PASSWORD })]);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([201, 409]);
  });

  it("refuses an invalid email with 422", async () => {
    for (const email of ["not-an-email", "a@", "@example.com", "", "a b@example.com", 42, null]) {
      expectValidationError(await signup({ email, password: PASSWORD }), "email");
    }
  });

  it("refuses an email longer than 254 characters", async () => {
    const local = "a".repeat(64);
    const domain = `${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.${"e".repeat(60)}.com`;
    const tooLong = `${local}@${domain}`;
    expect(tooLong.length).toBeGreaterThan(254);
    expectValidationError(await signup({ email: tooLong, password: PASSWORD }), "email");
  });

  it("refuses passwords shorter than 8 or longer than 128 characters, counting characters not code units", async () => {
    expectValidationError(await signup({ email: uniqueEmail(), password: "Zq7!xk2" }), "password");
    expectValidationError(await signup({ email: uniqueEmail(), password: "x".repeat(129) }), "password");
    // 4 emoji are 8 UTF-16 units but only 4 characters.
    expectValidationError(await signup({ email: uniqueEmail(), password: "🦊🐙🦉🐢" }), "password");
    // 128 emoji are 256 UTF-16 units but 128 characters: allowed.
    expect((await signup({ email: uniqueEmail(), password: "🦊🐙🦉🐢".repeat(32) })).statusCode).toBe(201);
    expect((await signup({ email: uniqueEmail(), password: "Zq7!xk2m" })).statusCode).toBe(201);
    expect((await signup({ email: uniqueEmail(), password: `${"q".repeat(7)}🦊` })).statusCode).toBe(201);
  });

  it("has no composition rules: a long lower-case passphrase is fine", async () => {
    expect((await signup({ email: uniqueEmail(), password: "correct horse battery staple zebra" })).statusCode).toBe(
      201,
    );
  });

  it("refuses a common password with 422", async () => {
    expect(isCommonPassword("password123")).toBe(true);
    for (const password of ["password123", "Password123", "iloveyou1"]) {
      expect(isCommonPassword(password)).toBe(true);
      expectValidationError(await signup({ email: uniqueEmail(), password }), "password");
    }
  });

  it("refuses unknown fields and a missing body with 422", async () => {
    const response = await signup({ email: uniqueEmail(), password: PASSWORD, isAdmin: true });
    expect(response.statusCode).toBe(422);
    expect(response.json().code).toBe("validation_failed");
    expect(response.json().errors.isAdmin).toEqual([expect.any(String)]);
    expect((await signup({ email: uniqueEmail(), password: PASSWORD, id: crypto.randomUUID() })).statusCode).toBe(422);
    expect((await signup({ password: PASSWORD })).statusCode).toBe(422);
    expect((await signup({ email: uniqueEmail(), password: PASSWORD, name: "x".repeat(101) })).statusCode).toBe(422);
  });
});

describe("sign-in", () => {
  it("answers 200 with a Session for the right password, whatever the email's case", async () => {
    const email = uniqueEmail();
    const account = await signUp(t.app, email);
    const response = await signin({ email: ` ${email.toUpperCase()} `, password: PASSWORD });
    expect(response.statusCode).toBe(200);
    const session = Session.parse(response.json());
    expect(session.user.id).toBe(account.user.id);
    expect(session.refreshToken).not.toBe(account.refreshToken);
  });

  it("gives a wrong password and an unknown email the same 401 invalid_credentials", async () => {
    const email = uniqueEmail();
    await signUp(t.app, email);
    const wrongPassword = await signin({ email, password: "not the password at all" });
    const unknownEmail = await signin({ email: uniqueEmail("nobody"), password: PASSWORD });
    for (const response of [wrongPassword, unknownEmail]) {
      expect(response.statusCode).toBe(401);
      expect(response.headers["www-authenticate"]).toMatch(/^Bearer\b/);
      expect(response.headers["content-type"]).toMatch(/^application\/problem\+json/);
      expect(response.json().code).toBe("invalid_credentials");
    }
    expect(wrongPassword.body).toBe(unknownEmail.body);
    expect(wrongPassword.headers["www-authenticate"]).toBe(unknownEmail.headers["www-authenticate"]);
  });

  it("refuses unknown fields with 422", async () => {
    const response = await signin({ email: uniqueEmail(), password: PASSWORD, remember: true });
    expect(response.statusCode).toBe(422);
  });
});
