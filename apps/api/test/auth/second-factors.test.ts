import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { decryptTotpSecret } from "../../src/auth/totp.ts";
import { mfaChallenges, recoveryCodes as recoveryCodeRows, totpFactors } from "../../src/db/schema.ts";
import { as, buildTestApp, PASSWORD, signUp, type TestApp, uniqueEmail } from "../helpers/app.ts";
import {
  advanceSteps,
  codeAt,
  enableTotp,
  freezeClockMidStep,
  secondStep,
  signInWithPassword,
} from "../helpers/mfa.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t?.close());
beforeEach(() => freezeClockMidStep());
afterEach(() => vi.useRealTimers());

/** A fresh account with an active authenticator app. */
async function accountWithTotp() {
  const email = uniqueEmail("mfa");
  const session = await signUp(t.app, email);
  const { secret, recoveryCodes } = await enableTotp(t.app, session);
  return { email, session, secret, recoveryCodes };
}

async function mfaTokenFor(email: string) {
  const response = await signInWithPassword(t.app, email);
  expect(response.statusCode).toBe(200);
  return response.json().mfaToken as string;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

const mfaStatus = async (session: { accessToken: string }) =>
  (await as(t.app, session)({ method: "GET", url: "/api/v1/me/mfa" })).json();

describe("GET /me/mfa", () => {
  it("says an account has no second factor until one is set up", async () => {
    const session = await signUp(t.app);
    const response = await as(t.app, session)({ method: "GET", url: "/api/v1/me/mfa" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ totp: false, passkeys: 0, recoveryCodesLeft: 0 });
  });

  it("needs an access token", async () => {
    expect((await t.app.inject({ method: "GET", url: "/api/v1/me/mfa" })).statusCode).toBe(401);
  });
});

describe("setting up an authenticator app", () => {
  it("returns a base32 secret and an otpauth URI that are not active until confirmed", async () => {
    const email = uniqueEmail();
    const session = await signUp(t.app, email);
    const response = await as(
      t.app,
      session,
    )({
      method: "POST",
      url: "/api/v1/me/mfa/totp",
      payload: { password: PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const { secret, otpauthUri } = response.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(new URL(otpauthUri).searchParams.get("secret")).toBe(secret);
    expect(await mfaStatus(session)).toEqual({ totp: false, passkeys: 0, recoveryCodesLeft: 0 });
    // Pending: the password alone still signs in.
    expect((await signInWithPassword(t.app, email)).json().accessToken).toEqual(expect.any(String));
  });

  it("needs the password: wrong is 401, missing is 422", async () => {
    const session = await signUp(t.app);
    const api = as(t.app, session);
    const wrong = await api({ method: "POST", url: "/api/v1/me/mfa/totp", payload: { password: "not it at all" } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe("invalid_credentials");
    const missing = await api({ method: "POST", url: "/api/v1/me/mfa/totp", payload: {} });
    expect(missing.statusCode).toBe(422);
  });

  it("confirms with a code and returns 10 distinct recovery codes of at least 50 bits", async () => {
    const session = await signUp(t.app);
    const api = as(t.app, session);
    const { secret } = (
      await api({ method: "POST", url: "/api/v1/me/mfa/totp", payload: { password: PASSWORD } })
    ).json();
    const wrong = await api({
      method: "POST",
      url: "/api/v1/me/mfa/totp/confirm",
      payload: { code: codeAt(secret, 3) },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe("invalid_code");
    const response = await api({
      method: "POST",
      url: "/api/v1/me/mfa/totp/confirm",
      payload: { code: codeAt(secret) },
    });
    expect(response.statusCode).toBe(200);
    const { recoveryCodes } = response.json();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    // 12 characters of a 32-letter alphabet: 60 bits each.
    for (const code of recoveryCodes) expect(code).toMatch(/^[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}$/);
    expect(await mfaStatus(session)).toEqual({ totp: true, passkeys: 0, recoveryCodesLeft: 10 });
  });

  it("starting over while pending replaces the secret: the first one's codes no longer confirm", async () => {
    const session = await signUp(t.app);
    const api = as(t.app, session);
    const start = async () =>
      (await api({ method: "POST", url: "/api/v1/me/mfa/totp", payload: { password: PASSWORD } })).json()
        .secret as string;
    const first = await start();
    const second = await start();
    expect(second).not.toBe(first);
    const stale = await api({ method: "POST", url: "/api/v1/me/mfa/totp/confirm", payload: { code: codeAt(first) } });
    expect(stale.statusCode).toBe(401);
    const fresh = await api({ method: "POST", url: "/api/v1/me/mfa/totp/confirm", payload: { code: codeAt(second) } });
    expect(fresh.statusCode).toBe(200);
  });

  it("refuses to start over while an app is active", async () => {
    const { session } = await accountWithTotp();
    const again = await as(
      t.app,
      session,
    )({ method: "POST", url: "/api/v1/me/mfa/totp", payload: { password: PASSWORD } });
    expect(again.statusCode).toBe(409);
  });

  it("stores the 160-bit secret encrypted under the server's key and bound to the account, in no readable form", async () => {
    const { session, secret } = await accountWithTotp();
    const [row] = await t.database.handle.db.select().from(totpFactors).where(eq(totpFactors.userId, session.user.id));
    const stored = row!.secretEncrypted;
    const bits = [...secret].map((letter) => BASE32.indexOf(letter).toString(2).padStart(5, "0")).join("");
    const bytes = Buffer.from(bits.match(/.{8}/g)!.map((byte) => Number.parseInt(byte, 2)));
    expect(bytes).toHaveLength(20);
    for (const form of [secret, secret.toLowerCase(), bytes.toString("hex"), bytes.toString("base64url")]) {
      expect(stored).not.toContain(form.slice(0, 16));
    }
    // It is the secret, sealed (AES-256-GCM) under the key-encryption key for this account only.
    expect(decryptTotpSecret(t.app.auth.keyEncryptionKey, session.user.id, stored)).toBe(secret);
    const other = await signUp(t.app);
    expect(() => decryptTotpSecret(t.app.auth.keyEncryptionKey, other.user.id, stored)).toThrow();
  });
});

describe("signing in with an authenticator app", () => {
  it("answers the password step with an mfaToken and the methods, and no token", async () => {
    const { email } = await accountWithTotp();
    const response = await signInWithPassword(t.app, email);
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toEqual({ mfaRequired: true, mfaToken: expect.any(String), methods: ["totp", "recovery_code"] });
    expect(body.accessToken).toBeUndefined();
    expect(body.refreshToken).toBeUndefined();
  });

  it("adds a second step only for an account with a second factor", async () => {
    const stepsOf = (userId: string) =>
      t.database.handle.db.select().from(mfaChallenges).where(eq(mfaChallenges.userId, userId));
    const plain = await signUp(t.app);
    expect((await signInWithPassword(t.app, plain.user.email)).json().accessToken).toEqual(expect.any(String));
    expect(await stepsOf(plain.user.id)).toHaveLength(0);
    const { email, session } = await accountWithTotp();
    await mfaTokenFor(email);
    expect(await stepsOf(session.user.id)).toHaveLength(1);
  });

  it("completes with a code and returns a Session", async () => {
    const { email, secret } = await accountWithTotp();
    const response = await secondStep(t.app, { mfaToken: await mfaTokenFor(email), code: codeAt(secret) });
    expect(response.statusCode).toBe(200);
    const session = response.json();
    expect(session).toMatchObject({ tokenType: "Bearer", user: { email } });
    expect((await as(t.app, session)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
  });

  it("refuses a wrong code with 401 invalid_code", async () => {
    const { email, secret } = await accountWithTotp();
    const mfaToken = await mfaTokenFor(email);
    const wrongCode = codeAt(secret) === "000000" ? "111111" : "000000";
    const response = await secondStep(t.app, { mfaToken, code: wrongCode });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("invalid_code");
    expect((await secondStep(t.app, { mfaToken, code: codeAt(secret) })).statusCode).toBe(200);
  });

  it("refuses a TOTP code presented twice", async () => {
    const { email, secret } = await accountWithTotp();
    const code = codeAt(secret);
    expect((await secondStep(t.app, { mfaToken: await mfaTokenFor(email), code })).statusCode).toBe(200);
    const replay = await secondStep(t.app, { mfaToken: await mfaTokenFor(email), code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe("invalid_code");
  });

  it("lets only one of two concurrent requests with the same code through, and opens one session", async () => {
    const { email, secret, session } = await accountWithTotp();
    const code = codeAt(secret);
    const tokens = await Promise.all(Array.from({ length: 6 }, () => mfaTokenFor(email)));
    const responses = await Promise.all(tokens.map((mfaToken) => secondStep(t.app, { mfaToken, code })));
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([200, 401, 401, 401, 401, 401]);
    // The sign-up's session and the winner's: the refused attempts opened none.
    const sessions = await as(t.app, session)({ method: "GET", url: "/api/v1/auth/sessions" });
    expect(sessions.json()).toHaveLength(2);
  });

  it("refuses a code from an earlier step once a later one was accepted", async () => {
    const { email, secret } = await accountWithTotp();
    expect((await secondStep(t.app, { mfaToken: await mfaTokenFor(email), code: codeAt(secret, 1) })).statusCode).toBe(
      200,
    );
    expect((await secondStep(t.app, { mfaToken: await mfaTokenFor(email), code: codeAt(secret) })).statusCode).toBe(
      401,
    );
  });

  it("accepts a code one step either side of now", async () => {
    const { email, secret } = await accountWithTotp();
    // The step before now must be later than the confirming code's step.
    advanceSteps(2);
    expect((await secondStep(t.app, { mfaToken: await mfaTokenFor(email), code: codeAt(secret, -1) })).statusCode).toBe(
      200,
    );
    advanceSteps(3);
    expect((await secondStep(t.app, { mfaToken: await mfaTokenFor(email), code: codeAt(secret, 1) })).statusCode).toBe(
      200,
    );
  });

  it("refuses a code two steps either side of now", async () => {
    const { email, secret } = await accountWithTotp();
    advanceSteps(3);
    const mfaToken = await mfaTokenFor(email);
    expect((await secondStep(t.app, { mfaToken, code: codeAt(secret, -2) })).statusCode).toBe(401);
    expect((await secondStep(t.app, { mfaToken, code: codeAt(secret, 2) })).statusCode).toBe(401);
  });

  it("lets an mfaToken live 5 minutes", async () => {
    const { email, secret } = await accountWithTotp();
    const mfaToken = await mfaTokenFor(email);
    vi.setSystemTime(Date.now() + 5 * 60_000 + 1_000);
    const response = await secondStep(t.app, { mfaToken, code: codeAt(secret) });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("invalid_mfa_token");
  });

  it("still completes a 4 min 50 s old mfaToken", async () => {
    const { email, secret } = await accountWithTotp();
    const mfaToken = await mfaTokenFor(email);
    vi.setSystemTime(Date.now() + 4 * 60_000 + 50_000);
    expect((await secondStep(t.app, { mfaToken, code: codeAt(secret) })).statusCode).toBe(200);
  });

  it("completes after 4 wrong codes: the fifth attempt is still the person's", async () => {
    const { email, secret } = await accountWithTotp();
    const mfaToken = await mfaTokenFor(email);
    const right = codeAt(secret);
    const wrong = right === "000000" ? "111111" : "000000";
    for (let attempt = 0; attempt < 4; attempt++) {
      expect((await secondStep(t.app, { mfaToken, code: wrong })).json().code).toBe("invalid_code");
    }
    expect((await secondStep(t.app, { mfaToken, code: right })).statusCode).toBe(200);
  });

  it("kills an mfaToken after 5 wrong codes, even for the right one", async () => {
    const { email, secret } = await accountWithTotp();
    const mfaToken = await mfaTokenFor(email);
    const right = codeAt(secret);
    const wrong = right === "000000" ? "111111" : "000000";
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await secondStep(t.app, { mfaToken, code: wrong })).json().code).toBe("invalid_code");
    }
    const sixth = await secondStep(t.app, { mfaToken, code: right });
    expect(sixth.statusCode).toBe(401);
    expect(sixth.json().code).toBe("invalid_mfa_token");
  });

  it("counts parallel wrong codes against the same limit of 5", async () => {
    const { email, secret } = await accountWithTotp();
    const mfaToken = await mfaTokenFor(email);
    const wrong = codeAt(secret) === "000000" ? "111111" : "000000";
    const responses = await Promise.all(Array.from({ length: 12 }, () => secondStep(t.app, { mfaToken, code: wrong })));
    const codes = responses.map((response) => response.json().code);
    expect(codes.filter((code) => code === "invalid_code")).toHaveLength(5);
    expect(codes.filter((code) => code === "invalid_mfa_token")).toHaveLength(7);
  });

  it("uses an mfaToken once", async () => {
    const { email, secret } = await accountWithTotp();
    const mfaToken = await mfaTokenFor(email);
    expect((await secondStep(t.app, { mfaToken, code: codeAt(secret) })).statusCode).toBe(200);
    advanceSteps(1);
    expect((await secondStep(t.app, { mfaToken, code: codeAt(secret) })).json().code).toBe("invalid_mfa_token");
  });

  it("binds an mfaToken to its account: another account's code or id in it opens nothing", async () => {
    const alice = await accountWithTotp();
    const bob = await accountWithTotp();
    const mfaToken = await mfaTokenFor(alice.email);
    // Bob's current code, fed to Alice's second step: checked against Alice's app.
    const bobsCode = await secondStep(t.app, { mfaToken, code: codeAt(bob.secret) });
    expect(bobsCode.statusCode).toBe(401);
    expect(bobsCode.json().code).toBe("invalid_code");
    // Alice's token rewritten to name Bob's account: no such second step.
    const raw = Buffer.from(mfaToken.slice("tvm_".length), "base64url");
    Buffer.from(bob.session.user.id.replaceAll("-", ""), "hex").copy(raw, 0);
    const rewritten = await secondStep(t.app, {
      mfaToken: `tvm_${raw.toString("base64url")}`,
      code: codeAt(bob.secret),
    });
    expect(rewritten.statusCode).toBe(401);
    expect(rewritten.json().code).toBe("invalid_mfa_token");
    // Bob's own code still works for Bob (nothing was spent on his account).
    const bobs = await secondStep(t.app, { mfaToken: await mfaTokenFor(bob.email), code: codeAt(bob.secret) });
    expect(bobs.json().user.email).toBe(bob.email);
  });

  it("refuses a forged or unknown mfaToken", async () => {
    const { email, secret } = await accountWithTotp();
    const real = await mfaTokenFor(email);
    const forged = `${real.slice(0, -4)}AAAA`;
    for (const mfaToken of [forged, "tvm_nope", "x"]) {
      const response = await secondStep(t.app, { mfaToken, code: codeAt(secret) });
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe("invalid_mfa_token");
    }
  });

  it("records sign-ins and failed second factors in the security trail", async () => {
    const { email, secret, session } = await accountWithTotp();
    const mfaToken = await mfaTokenFor(email);
    await secondStep(t.app, { mfaToken, code: codeAt(secret) === "000000" ? "111111" : "000000" });
    await secondStep(t.app, { mfaToken, code: codeAt(secret) });
    const events = (await as(t.app, session)({ method: "GET", url: "/api/v1/me/events" })).json();
    const types = events.items.map((event: { type: string }) => event.type);
    expect(types.slice(0, 2)).toEqual(["signed_in", "second_factor_failed"]);
    expect(types).toContain("totp_enabled");
  });
});

describe("recovery codes", () => {
  it("complete a sign-in once each", async () => {
    const { email, recoveryCodes, session } = await accountWithTotp();
    const [code] = recoveryCodes;
    const first = await secondStep(t.app, { mfaToken: await mfaTokenFor(email), recoveryCode: code });
    expect(first.statusCode).toBe(200);
    const again = await secondStep(t.app, { mfaToken: await mfaTokenFor(email), recoveryCode: code });
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe("invalid_code");
    expect((await mfaStatus(session)).recoveryCodesLeft).toBe(9);
  });

  it("let only one of two concurrent sign-ins with the same recovery code through", async () => {
    const { email, recoveryCodes, session } = await accountWithTotp();
    const tokens = await Promise.all([mfaTokenFor(email), mfaTokenFor(email)]);
    const responses = await Promise.all(
      tokens.map((mfaToken) => secondStep(t.app, { mfaToken, recoveryCode: recoveryCodes[2] })),
    );
    expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 401]);
    expect((await mfaStatus(session)).recoveryCodesLeft).toBe(9);
  });

  it("are recorded in the trail when used and when renewed", async () => {
    const { email, recoveryCodes, session } = await accountWithTotp();
    await secondStep(t.app, { mfaToken: await mfaTokenFor(email), recoveryCode: recoveryCodes[0] });
    const api = as(t.app, session);
    await api({ method: "POST", url: "/api/v1/me/mfa/recovery-codes", payload: { password: PASSWORD } });
    const types = (await api({ method: "GET", url: "/api/v1/me/events" }))
      .json()
      .items.map((event: { type: string }) => event.type);
    expect(types.slice(0, 3)).toEqual(["recovery_codes_generated", "signed_in", "recovery_code_used"]);
  });

  it("accept any case, spaces and dashes", async () => {
    const { email, recoveryCodes } = await accountWithTotp();
    const sloppy = ` ${recoveryCodes[1]!.toLowerCase().replaceAll("-", " ")} `;
    expect((await secondStep(t.app, { mfaToken: await mfaTokenFor(email), recoveryCode: sloppy })).statusCode).toBe(
      200,
    );
  });

  it("are regenerated as a set: the old set dies", async () => {
    const { email, recoveryCodes, session } = await accountWithTotp();
    const api = as(t.app, session);
    const wrong = await api({
      method: "POST",
      url: "/api/v1/me/mfa/recovery-codes",
      payload: { password: "wrong one here" },
    });
    expect(wrong.statusCode).toBe(401);
    const response = await api({
      method: "POST",
      url: "/api/v1/me/mfa/recovery-codes",
      payload: { password: PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const fresh = response.json().recoveryCodes as string[];
    expect(fresh).toHaveLength(10);
    expect(fresh.some((code) => recoveryCodes.includes(code))).toBe(false);
    const old = await secondStep(t.app, { mfaToken: await mfaTokenFor(email), recoveryCode: recoveryCodes[0] });
    expect(old.statusCode).toBe(401);
    expect((await secondStep(t.app, { mfaToken: await mfaTokenFor(email), recoveryCode: fresh[0] })).statusCode).toBe(
      200,
    );
  });

  it("are stored only as hashes", async () => {
    const { recoveryCodes, session } = await accountWithTotp();
    const own = await t.database.handle.db
      .select()
      .from(recoveryCodeRows)
      .where(eq(recoveryCodeRows.userId, session.user.id));
    expect(own).toHaveLength(10);
    // A 256-bit keyed hash per code, none of them the code in any spelling.
    for (const row of own) expect(Buffer.from(row.codeHash, "base64url")).toHaveLength(32);
    const rows = JSON.stringify(await t.database.handle.db.execute("select * from recovery_codes" as never));
    for (const code of recoveryCodes) {
      expect(rows).not.toContain(code);
      expect(rows).not.toContain(code.replaceAll("-", ""));
    }
  });
});

describe("removing the authenticator app", () => {
  it("needs the password and turns the second step off", async () => {
    const { email, session } = await accountWithTotp();
    const api = as(t.app, session);
    const wrong = await api({ method: "DELETE", url: "/api/v1/me/mfa/totp", payload: { password: "wrong one here" } });
    expect(wrong.statusCode).toBe(401);
    const response = await api({ method: "DELETE", url: "/api/v1/me/mfa/totp", payload: { password: PASSWORD } });
    expect(response.statusCode).toBe(204);
    expect(await mfaStatus(session)).toEqual({ totp: false, passkeys: 0, recoveryCodesLeft: 0 });
    const events = (await api({ method: "GET", url: "/api/v1/me/events" })).json();
    expect(events.items[0].type).toBe("totp_disabled");
    expect((await signInWithPassword(t.app, email)).json().accessToken).toEqual(expect.any(String));
  });

  it("offers to end every other session (ASVS 7.4.3)", async () => {
    const { email, session, secret } = await accountWithTotp();
    const other = (await secondStep(t.app, { mfaToken: await mfaTokenFor(email), code: codeAt(secret) })).json();
    const response = await as(
      t.app,
      session,
    )({
      method: "DELETE",
      url: "/api/v1/me/mfa/totp",
      payload: { password: PASSWORD, endOtherSessions: true },
    });
    expect(response.statusCode).toBe(204);
    expect((await as(t.app, other)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(401);
    expect((await as(t.app, session)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
  });
});

describe("no way round the second factor", () => {
  it("password: the password alone gives no token", async () => {
    const { email } = await accountWithTotp();
    const body = (await signInWithPassword(t.app, email)).json();
    expect(body.mfaRequired).toBe(true);
    expect(Object.keys(body).sort()).toEqual(["methods", "mfaRequired", "mfaToken"]);
  });

  it("refresh: a session opened before the factor was set up no longer refreshes", async () => {
    const email = uniqueEmail();
    const enrolling = await signUp(t.app, email);
    const older = (await signInWithPassword(t.app, email)).json();
    await enableTotp(t.app, enrolling);
    const refreshOld = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/refresh",
      payload: { refreshToken: older.refreshToken },
    });
    expect(refreshOld.statusCode).toBe(401);
    expect(refreshOld.json().accessToken).toBeUndefined();
    // The session that set the factor up showed it, and goes on.
    const refreshOwn = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/refresh",
      payload: { refreshToken: enrolling.refreshToken },
    });
    expect(refreshOwn.statusCode).toBe(200);
  });

  it("refresh: a session opened with the second factor refreshes as usual", async () => {
    const { email, secret } = await accountWithTotp();
    const session = (await secondStep(t.app, { mfaToken: await mfaTokenFor(email), code: codeAt(secret) })).json();
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/refresh",
      payload: { refreshToken: session.refreshToken },
    });
    expect(response.statusCode).toBe(200);
  });

  it("another client: an mfaToken works only for the client that did the password step", async () => {
    const { email, secret } = await accountWithTotp();
    const response = await signInWithPassword(t.app, email, PASSWORD, { headers: { "user-agent": "Browser A" } });
    const { mfaToken } = response.json();
    const otherAgent = await secondStep(t.app, { mfaToken, code: codeAt(secret) }, { headers: { "user-agent": "B" } });
    expect(otherAgent.statusCode).toBe(401);
    expect(otherAgent.json().code).toBe("invalid_mfa_token");
    const otherAddress = await secondStep(
      t.app,
      { mfaToken, code: codeAt(secret) },
      { headers: { "user-agent": "Browser A" }, remoteAddress: "198.51.100.7" },
    );
    expect(otherAddress.statusCode).toBe(401);
    const same = await secondStep(
      t.app,
      { mfaToken, code: codeAt(secret) },
      { headers: { "user-agent": "Browser A" } },
    );
    expect(same.statusCode).toBe(200);
  });

  it("pending enrolment: an unconfirmed app's codes open nothing", async () => {
    const email = uniqueEmail();
    const session = await signUp(t.app, email);
    const { secret } = (
      await as(t.app, session)({ method: "POST", url: "/api/v1/me/mfa/totp", payload: { password: PASSWORD } })
    ).json();
    // No second factor yet, so no second step to feed a code to.
    const body = (await signInWithPassword(t.app, email)).json();
    expect(body.mfaRequired).toBeUndefined();
    expect((await as(t.app, session)({ method: "GET", url: "/api/v1/me/mfa" })).json().totp).toBe(false);
    expect(secret).toBeTruthy();
  });
});

describe("setting up ends other sessions when asked", () => {
  it("confirming with endOtherSessions signs every other session out at once", async () => {
    const email = uniqueEmail();
    const session = await signUp(t.app, email);
    const other = (await signInWithPassword(t.app, email)).json();
    await enableTotp(t.app, session, { endOtherSessions: true });
    expect((await as(t.app, other)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(401);
    expect((await as(t.app, session)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
  });
});

describe("deleting the account", () => {
  it("removes its factors with it", async () => {
    const { session, email } = await accountWithTotp();
    const me = (await as(t.app, session)({ method: "GET", url: "/api/v1/me" })).json();
    const response = await as(t.app, session)({ method: "DELETE", url: "/api/v1/me", payload: { password: PASSWORD } });
    expect(response.statusCode).toBe(204);
    for (const table of ["totp_factors", "recovery_codes", "mfa_challenges"]) {
      const rows = JSON.stringify(
        await t.database.handle.db.execute(`select * from ${table} where user_id = '${me.id}'` as never),
      );
      expect(rows).not.toContain(me.id);
    }
    expect((await signInWithPassword(t.app, email)).statusCode).toBe(401);
  });
});

describe("sign-in back-off", () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await buildTestApp({ AUTH_RATE_LIMIT: "on" });
  });
  afterAll(() => limited?.close());

  it("counts wrong codes towards the account's back-off, like wrong passwords", async () => {
    const email = uniqueEmail("backoff");
    const session = await signUp(limited.app, email);
    const { secret } = await enableTotp(limited.app, session);
    const wrong = codeAt(secret) === "000000" ? "111111" : "000000";
    // Ten failures are free (decision 011): two mfaTokens, five wrong codes each.
    for (let round = 0; round < 2; round++) {
      const { mfaToken } = (await signInWithPassword(limited.app, email)).json();
      for (let attempt = 0; attempt < 5; attempt++) {
        expect((await secondStep(limited.app, { mfaToken, code: wrong })).statusCode).toBe(401);
      }
    }
    const throttled = await signInWithPassword(limited.app, email);
    expect(throttled.statusCode).toBe(429);
    expect(throttled.headers["retry-after"]).toBeDefined();
  });

  it("slows step-ups down after 10 failed proofs, so a stolen session cannot go on guessing", async () => {
    const session = await signUp(limited.app);
    const api = as(limited.app, session);
    const token = { name: "script", scopes: ["todos:read"] };
    const attempts = [
      (password: string) => api({ method: "POST", url: "/api/v1/me/tokens", payload: { ...token, password } }),
      (password: string) => api({ method: "DELETE", url: "/api/v1/me", payload: { password } }),
      (password: string) => api({ method: "POST", url: "/api/v1/me/mfa/totp", payload: { password } }),
    ];
    // Ten failures across step-up routes are free, as for sign-ins (decision 011) …
    for (let attempt = 0; attempt < 10; attempt++) {
      const wrong = await attempts[attempt % attempts.length]!(`wrong guess ${attempt}`);
      expect(wrong.statusCode).toBe(401);
    }
    // … then every step-up of this account waits, even with the right password.
    const throttled = await attempts[0]!(PASSWORD);
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers["retry-after"])).toBeGreaterThan(0);
    // Another account's step-ups do not.
    const other = await signUp(limited.app);
    const created = await as(
      limited.app,
      other,
    )({ method: "POST", url: "/api/v1/me/tokens", payload: { ...token, password: PASSWORD } });
    expect(created.statusCode).toBe(201);
  });
});
