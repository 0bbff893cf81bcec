import type { Session } from "@taskvault/contract/auth";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { mfaChallenges, passkeys as passkeyRows } from "../../src/db/schema.ts";
import { as, buildTestApp, PASSWORD, signUp, type TestApp, uniqueEmail } from "../helpers/app.ts";
import {
  type Algorithm,
  createSoftwareAuthenticator,
  type SoftwareAuthenticatorOptions,
} from "../helpers/authenticator.ts";
import { enableTotp, freezeClockMidStep, secondStep, signInWithPassword } from "../helpers/mfa.ts";

const PUBLIC_URL = "https://todo.example.test";
const RP = { origin: PUBLIC_URL, rpId: "todo.example.test" };

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({ PUBLIC_URL });
});
afterAll(() => t?.close());
afterEach(() => vi.useRealTimers());

type Authenticator = ReturnType<typeof createSoftwareAuthenticator>;

const registrationOptions = async (session: Session) => {
  const response = await as(t.app, session)({ method: "POST", url: "/api/v1/me/passkeys/options" });
  expect(response.statusCode).toBe(200);
  return response.json();
};

/** A new account with one passkey on a software authenticator. */
async function accountWithPasskey(options: Partial<SoftwareAuthenticatorOptions> = {}) {
  const email = uniqueEmail("passkey");
  const session = await signUp(t.app, email);
  const authenticator = createSoftwareAuthenticator({ ...RP, ...options });
  const created = await addPasskey(session, authenticator);
  expect(created.statusCode).toBe(201);
  return { email, session, authenticator, passkey: created.json() };
}

async function addPasskey(session: Session, authenticator: Authenticator, name = "Laptop") {
  const options = await registrationOptions(session);
  return as(
    t.app,
    session,
  )({
    method: "POST",
    url: "/api/v1/me/passkeys",
    payload: { name, response: authenticator.register(options) },
  });
}

async function signInOptions() {
  const response = await t.app.inject({ method: "POST", url: "/api/v1/auth/passkey/options" });
  expect(response.statusCode).toBe(200);
  return response.json() as { challengeId: string; options: { challenge: string } & Record<string, unknown> };
}

const passkeySignIn = (payload: Record<string, unknown>) =>
  t.app.inject({ method: "POST", url: "/api/v1/auth/passkey", payload });

async function signInWithAuthenticator(
  authenticator: Authenticator,
  overrides: Parameters<Authenticator["authenticate"]>[1] = {},
) {
  const { challengeId, options } = await signInOptions();
  return passkeySignIn({ challengeId, response: authenticator.authenticate(options, overrides) });
}

describe("registering a passkey", () => {
  it("gives creation options for a discoverable, user-verified credential of PUBLIC_URL's relying party", async () => {
    const email = uniqueEmail();
    const session = await signUp(t.app, email);
    const options = await registrationOptions(session);
    expect(options.rp).toEqual({ name: "Taskvault", id: "todo.example.test" });
    expect(options.user.name).toBe(email);
    expect(options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    expect(options.attestation).toBe("none");
    expect(options.challenge).toMatch(/^[A-Za-z0-9_-]{22,}$/);
  });

  for (const algorithm of ["ES256", "EdDSA"] as Algorithm[]) {
    it(`registers a ${algorithm} passkey and lists it (201 Passkey)`, async () => {
      const session = await signUp(t.app);
      const authenticator = createSoftwareAuthenticator({ ...RP, algorithm });
      const response = await addPasskey(session, authenticator, "My phone");
      expect(response.statusCode).toBe(201);
      const passkey = response.json();
      expect(passkey).toEqual({
        id: expect.any(String),
        name: "My phone",
        createdAt: expect.any(String),
        lastUsedAt: null,
        synced: false,
        transports: ["internal", "hybrid"],
      });
      const list = await as(t.app, session)({ method: "GET", url: "/api/v1/me/passkeys" });
      expect(list.json()).toEqual([passkey]);
      expect((await as(t.app, session)({ method: "GET", url: "/api/v1/me/mfa" })).json()).toMatchObject({
        passkeys: 1,
      });
    });
  }

  it("shows a synced passkey as synced", async () => {
    const { passkey } = await accountWithPasskey({ synced: true, counting: false });
    expect(passkey.synced).toBe(true);
  });

  it("stores the backup state, transports and credential id in the passkey's row", async () => {
    const synced = await accountWithPasskey({ synced: true, counting: false });
    const device = await accountWithPasskey();
    const rowOf = async (userId: string) =>
      (await t.database.handle.db.select().from(passkeyRows).where(eq(passkeyRows.userId, userId)))[0]!;
    const syncedRow = await rowOf(synced.session.user.id);
    expect(syncedRow).toMatchObject({ backupEligible: true, backedUp: true, counter: 0 });
    expect(syncedRow.transports).toEqual(["internal", "hybrid"]);
    expect(syncedRow.credentialId).toBe(synced.authenticator.credentials[0]!.id.toString("base64url"));
    const deviceRow = await rowOf(device.session.user.id);
    expect(deviceRow).toMatchObject({ backupEligible: false, backedUp: false });
    expect(device.passkey.synced).toBe(false);
  });

  const refusals: [
    string,
    (authenticator: Authenticator, options: { challenge: string; user: { id: string } }) => unknown,
  ][] = [
    ["another origin", (a, o) => a.register(o, { origin: "https://evil.example" })],
    ["another RP ID hash", (a, o) => a.register(o, { rpId: "evil.example" })],
    ["no user verification", (a, o) => a.register(o, { userVerified: false })],
    ["another challenge", (a, o) => a.register(o, { challenge: Buffer.from("made up").toString("base64url") })],
    ["an assertion type", (a, o) => a.register(o, { type: "webauthn.get" })],
  ];
  for (const [what, build] of refusals) {
    it(`refuses a registration with ${what}`, async () => {
      const session = await signUp(t.app);
      const options = await registrationOptions(session);
      const response = await as(
        t.app,
        session,
      )({
        method: "POST",
        url: "/api/v1/me/passkeys",
        payload: { name: "x", response: build(createSoftwareAuthenticator(RP), options) },
      });
      expect(response.statusCode).toBe(401);
      expect((await as(t.app, session)({ method: "GET", url: "/api/v1/me/passkeys" })).json()).toEqual([]);
    });
  }

  it("uses a registration challenge once", async () => {
    const session = await signUp(t.app);
    const options = await registrationOptions(session);
    const authenticator = createSoftwareAuthenticator(RP);
    const register = () =>
      as(
        t.app,
        session,
      )({
        method: "POST",
        url: "/api/v1/me/passkeys",
        payload: { name: "x", response: authenticator.register(options) },
      });
    expect((await register()).statusCode).toBe(201);
    expect((await register()).statusCode).toBe(401);
  });

  it("refuses another account's registration challenge", async () => {
    const alice = await signUp(t.app);
    const mallory = await signUp(t.app);
    const options = await registrationOptions(alice);
    const response = await as(
      t.app,
      mallory,
    )({
      method: "POST",
      url: "/api/v1/me/passkeys",
      payload: { name: "x", response: createSoftwareAuthenticator(RP).register(options) },
    });
    expect(response.statusCode).toBe(401);
  });

  it("lets a registration challenge live 5 minutes", async () => {
    const session = await signUp(t.app);
    const options = await registrationOptions(session);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 5 * 60_000 + 1_000 });
    const response = await as(
      t.app,
      session,
    )({
      method: "POST",
      url: "/api/v1/me/passkeys",
      payload: { name: "x", response: createSoftwareAuthenticator(RP).register(options) },
    });
    expect(response.statusCode).toBe(401);
  });
});

describe("signing in with a passkey", () => {
  it("asks for user verification with a fresh challenge", async () => {
    const { challengeId, options } = await signInOptions();
    expect(challengeId).toEqual(expect.any(String));
    expect(options).toMatchObject({ rpId: "todo.example.test", userVerification: "required" });
  });

  it("signs in with the passkey alone: a Session, no password and no further factor", async () => {
    const { email, session, authenticator } = await accountWithPasskey();
    // The account has a second factor now, so the password alone is not enough …
    expect((await signInWithPassword(t.app, email)).json()).toMatchObject({ mfaRequired: true, methods: ["passkey"] });
    // … but the passkey is both factors.
    const response = await signInWithAuthenticator(authenticator);
    expect(response.statusCode).toBe(200);
    const signedIn = response.json();
    expect(signedIn).toMatchObject({ tokenType: "Bearer", user: { email } });
    expect((await as(t.app, signedIn)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
    const [passkey] = (await as(t.app, session)({ method: "GET", url: "/api/v1/me/passkeys" })).json();
    expect(passkey.lastUsedAt).toEqual(expect.any(String));
    // Refreshing that session works: it showed a second factor.
    const refreshed = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/refresh",
      payload: { refreshToken: signedIn.refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
  });

  it("signs in with an Ed25519 passkey", async () => {
    const { authenticator } = await accountWithPasskey({ algorithm: "EdDSA" });
    expect((await signInWithAuthenticator(authenticator)).statusCode).toBe(200);
  });

  const tampered: [string, Parameters<Authenticator["authenticate"]>[1]][] = [
    ["another origin", { origin: "https://evil.example" }],
    ["PUBLIC_URL's host over http", { origin: "http://todo.example.test" }],
    ["PUBLIC_URL's host on another port", { origin: "https://todo.example.test:8443" }],
    ["a subdomain of PUBLIC_URL's host", { origin: "https://app.todo.example.test", rpId: "app.todo.example.test" }],
    ["another RP ID hash", { rpId: "evil.example" }],
    ["a bad signature", { tamperSignature: true }],
    ["no user verification", { userVerified: false }],
    ["a registration type", { type: "webauthn.create" }],
  ];
  for (const [what, overrides] of tampered) {
    it(`refuses an assertion with ${what}`, async () => {
      const { authenticator } = await accountWithPasskey();
      const response = await signInWithAuthenticator(authenticator, overrides);
      expect(response.statusCode).toBe(401);
      expect(response.json().accessToken).toBeUndefined();
    });
  }

  it("refuses clientDataJSON changed after it was signed", async () => {
    const { authenticator } = await accountWithPasskey();
    const { challengeId, options } = await signInOptions();
    const response = authenticator.authenticate(options);
    const clientData = JSON.parse(Buffer.from(response.response.clientDataJSON, "base64url").toString("utf8"));
    // Same challenge, origin and type, so only the signature can tell.
    const changed = Buffer.from(JSON.stringify({ ...clientData, crossOrigin: false, extra: "x" })).toString(
      "base64url",
    );
    const refused = await passkeySignIn({
      challengeId,
      response: { ...response, response: { ...response.response, clientDataJSON: changed } },
    });
    expect(refused.statusCode).toBe(401);
  });

  it("refuses authenticatorData changed after it was signed (counter or flags)", async () => {
    const { authenticator } = await accountWithPasskey();
    for (const change of [
      (data: Buffer) => data.writeUInt32BE(1000, 33),
      (data: Buffer) => {
        data[32]! |= 0x10; // claims backed up
      },
    ]) {
      const { challengeId, options } = await signInOptions();
      const response = authenticator.authenticate(options);
      const data = Buffer.from(response.response.authenticatorData, "base64url");
      change(data);
      const refused = await passkeySignIn({
        challengeId,
        response: { ...response, response: { ...response.response, authenticatorData: data.toString("base64url") } },
      });
      expect(refused.statusCode).toBe(401);
    }
    // The honest authenticator still signs in (nothing above moved the stored counter).
    expect((await signInWithAuthenticator(authenticator)).statusCode).toBe(200);
  });

  it("spends a challenge on a refused attempt too", async () => {
    const { authenticator } = await accountWithPasskey();
    const { challengeId, options } = await signInOptions();
    const bad = await passkeySignIn({
      challengeId,
      response: authenticator.authenticate(options, { tamperSignature: true }),
    });
    expect(bad.statusCode).toBe(401);
    const honest = await passkeySignIn({ challengeId, response: authenticator.authenticate(options) });
    expect(honest.statusCode).toBe(401);
  });

  it("uses a challenge once", async () => {
    const { authenticator } = await accountWithPasskey();
    const { challengeId, options } = await signInOptions();
    expect((await passkeySignIn({ challengeId, response: authenticator.authenticate(options) })).statusCode).toBe(200);
    const replay = await passkeySignIn({ challengeId, response: authenticator.authenticate(options) });
    expect(replay.statusCode).toBe(401);
  });

  it("refuses an assertion signed over another challenge than the one named", async () => {
    const { authenticator } = await accountWithPasskey();
    const first = await signInOptions();
    const second = await signInOptions();
    const response = await passkeySignIn({
      challengeId: second.challengeId,
      response: authenticator.authenticate(first.options),
    });
    expect(response.statusCode).toBe(401);
  });

  it("accepts a challenge 4 min 50 s old", async () => {
    const { authenticator } = await accountWithPasskey();
    const { challengeId, options } = await signInOptions();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 4 * 60_000 + 50_000 });
    expect((await passkeySignIn({ challengeId, response: authenticator.authenticate(options) })).statusCode).toBe(200);
  });

  it("lets a challenge live 5 minutes", async () => {
    const { authenticator } = await accountWithPasskey();
    const { challengeId, options } = await signInOptions();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 5 * 60_000 + 1_000 });
    expect((await passkeySignIn({ challengeId, response: authenticator.authenticate(options) })).statusCode).toBe(401);
  });

  it("refuses a signature counter that goes backwards", async () => {
    const { authenticator } = await accountWithPasskey();
    expect((await signInWithAuthenticator(authenticator, { counter: 7 })).statusCode).toBe(200);
    expect((await signInWithAuthenticator(authenticator, { counter: 5 })).statusCode).toBe(401);
    expect((await signInWithAuthenticator(authenticator, { counter: 7 })).statusCode).toBe(401);
    expect((await signInWithAuthenticator(authenticator, { counter: 8 })).statusCode).toBe(200);
    // A counting authenticator that drops back to 0 is a clone, not a synced passkey.
    expect((await signInWithAuthenticator(authenticator, { counter: 0 })).statusCode).toBe(401);
  });

  it("accepts a counter that stays 0 (synced passkeys do not count)", async () => {
    const { authenticator } = await accountWithPasskey({ synced: true, counting: false });
    expect((await signInWithAuthenticator(authenticator)).statusCode).toBe(200);
    expect((await signInWithAuthenticator(authenticator)).statusCode).toBe(200);
  });

  it("lets only one of two assertions with the same counter through", async () => {
    const { authenticator } = await accountWithPasskey();
    const [a, b] = [await signInOptions(), await signInOptions()];
    const responses = await Promise.all([
      passkeySignIn({ challengeId: a.challengeId, response: authenticator.authenticate(a.options, { counter: 3 }) }),
      passkeySignIn({ challengeId: b.challengeId, response: authenticator.authenticate(b.options, { counter: 3 }) }),
    ]);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 401]);
  });

  it("refuses a passkey that was removed", async () => {
    freezeClockMidStep();
    const { session, authenticator, passkey } = await accountWithPasskey();
    await enableTotp(t.app, session);
    const removed = await as(t.app, session)({ method: "DELETE", url: `/api/v1/me/passkeys/${passkey.id}` });
    expect(removed.statusCode).toBe(204);
    expect((await signInWithAuthenticator(authenticator)).statusCode).toBe(401);
  });
});

describe("a passkey as the second factor after a password", () => {
  it("completes the second step with a passkey (methods include passkey)", async () => {
    freezeClockMidStep();
    const { email, session, authenticator } = await accountWithPasskey();
    await enableTotp(t.app, session);
    const step = (await signInWithPassword(t.app, email)).json();
    expect(step.methods).toEqual(["totp", "recovery_code", "passkey"]);
    const { challengeId, options } = await signInOptions();
    const response = await secondStep(t.app, {
      mfaToken: step.mfaToken,
      challengeId,
      response: authenticator.authenticate(options),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ tokenType: "Bearer", user: { email } });
  });

  it("offers recovery codes next to the passkey once renewed, and one completes the second step", async () => {
    const { email, session } = await accountWithPasskey();
    const renewed = await as(
      t.app,
      session,
    )({ method: "POST", url: "/api/v1/me/mfa/recovery-codes", payload: { password: PASSWORD } });
    const [code] = renewed.json().recoveryCodes as string[];
    const step = (await signInWithPassword(t.app, email)).json();
    expect(step.methods).toEqual(["recovery_code", "passkey"]);
    const response = await secondStep(t.app, { mfaToken: step.mfaToken, recoveryCode: code });
    expect(response.statusCode).toBe(200);
    expect(response.json().user.email).toBe(email);
  });

  it("refuses another account's passkey in the second step", async () => {
    const alice = await accountWithPasskey();
    const mallory = await accountWithPasskey();
    const step = (await signInWithPassword(t.app, alice.email)).json();
    const { challengeId, options } = await signInOptions();
    const response = await secondStep(t.app, {
      mfaToken: step.mfaToken,
      challengeId,
      response: mallory.authenticator.authenticate(options),
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("invalid_code");
  });
});

describe("a passkey in the second step is held to the same checks", () => {
  it("refuses a tampered assertion with invalid_code, counts it as an attempt, and then accepts the real one", async () => {
    const { email, authenticator, session } = await accountWithPasskey();
    const step = (await signInWithPassword(t.app, email)).json();
    const first = await signInOptions();
    const tampered = await secondStep(t.app, {
      mfaToken: step.mfaToken,
      challengeId: first.challengeId,
      response: authenticator.authenticate(first.options, { tamperSignature: true }),
    });
    expect(tampered.statusCode).toBe(401);
    expect(tampered.json().code).toBe("invalid_code");
    // The challenge went with the refused attempt.
    const reused = await secondStep(t.app, {
      mfaToken: step.mfaToken,
      challengeId: first.challengeId,
      response: authenticator.authenticate(first.options),
    });
    expect(reused.json().code).toBe("invalid_code");
    // Both refusals were attempts of the second step (of its 5).
    const [pending] = await t.database.handle.db
      .select({ attempts: mfaChallenges.attempts })
      .from(mfaChallenges)
      .where(eq(mfaChallenges.userId, session.user.id));
    expect(pending!.attempts).toBe(2);
    const second = await signInOptions();
    const honest = await secondStep(t.app, {
      mfaToken: step.mfaToken,
      challengeId: second.challengeId,
      response: authenticator.authenticate(second.options),
    });
    expect(honest.statusCode).toBe(200);
  });

  it("refuses a passkey without user verification in the second step", async () => {
    const { email, authenticator } = await accountWithPasskey();
    const step = (await signInWithPassword(t.app, email)).json();
    const { challengeId, options } = await signInOptions();
    const response = await secondStep(t.app, {
      mfaToken: step.mfaToken,
      challengeId,
      response: authenticator.authenticate(options, { userVerified: false }),
    });
    expect(response.statusCode).toBe(401);
  });
});

describe("adding or removing a passkey ends other sessions when asked (ASVS 7.4.3)", () => {
  it("adding with endOtherSessions signs every other session out at once", async () => {
    const email = uniqueEmail("end-others");
    const session = await signUp(t.app, email);
    const other = (await signInWithPassword(t.app, email)).json();
    const options = await registrationOptions(session);
    const added = await as(
      t.app,
      session,
    )({
      method: "POST",
      url: "/api/v1/me/passkeys",
      payload: { name: "Laptop", response: createSoftwareAuthenticator(RP).register(options), endOtherSessions: true },
    });
    expect(added.statusCode).toBe(201);
    expect((await as(t.app, other)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(401);
    expect((await as(t.app, session)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
  });

  it("adding without it leaves the other sessions be until their next refresh", async () => {
    const email = uniqueEmail("keep-others");
    const session = await signUp(t.app, email);
    const other = (await signInWithPassword(t.app, email)).json();
    expect((await addPasskey(session, createSoftwareAuthenticator(RP))).statusCode).toBe(201);
    expect((await as(t.app, other)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
  });

  it("removing with endOtherSessions signs every other session out at once", async () => {
    const { session, authenticator, passkey } = await accountWithPasskey();
    const other = (await signInWithAuthenticator(authenticator)).json();
    const removed = await as(
      t.app,
      session,
    )({
      method: "DELETE",
      url: `/api/v1/me/passkeys/${passkey.id}`,
      payload: { password: PASSWORD, endOtherSessions: true },
    });
    expect(removed.statusCode).toBe(204);
    expect((await as(t.app, other)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(401);
    expect((await as(t.app, session)({ method: "GET", url: "/api/v1/me" })).statusCode).toBe(200);
  });
});

describe("managing passkeys", () => {
  it("renames a passkey", async () => {
    const { session, passkey } = await accountWithPasskey();
    const response = await as(
      t.app,
      session,
    )({
      method: "PATCH",
      url: `/api/v1/me/passkeys/${passkey.id}`,
      payload: { name: "  Work laptop " },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id: passkey.id, name: "Work laptop" });
  });

  it("answers 404 for another account's passkey", async () => {
    const { passkey } = await accountWithPasskey();
    const other = await signUp(t.app);
    const api = as(t.app, other);
    expect(
      (await api({ method: "PATCH", url: `/api/v1/me/passkeys/${passkey.id}`, payload: { name: "x" } })).statusCode,
    ).toBe(404);
    expect(
      (await api({ method: "DELETE", url: `/api/v1/me/passkeys/${passkey.id}`, payload: { password: PASSWORD } }))
        .statusCode,
    ).toBe(404);
    expect((await api({ method: "DELETE", url: "/api/v1/me/passkeys/not-an-id" })).statusCode).toBe(404);
  });

  it("needs the password to remove the last second factor", async () => {
    const { session, passkey, email } = await accountWithPasskey();
    const api = as(t.app, session);
    const codes = await api({ method: "POST", url: "/api/v1/me/mfa/recovery-codes", payload: { password: PASSWORD } });
    expect(codes.json().recoveryCodes).toHaveLength(10);
    expect((await api({ method: "DELETE", url: `/api/v1/me/passkeys/${passkey.id}` })).statusCode).toBe(422);
    expect(
      (
        await api({
          method: "DELETE",
          url: `/api/v1/me/passkeys/${passkey.id}`,
          payload: { password: "wrong one here" },
        })
      ).statusCode,
    ).toBe(401);
    const removed = await api({
      method: "DELETE",
      url: `/api/v1/me/passkeys/${passkey.id}`,
      payload: { password: PASSWORD },
    });
    expect(removed.statusCode).toBe(204);
    expect((await api({ method: "GET", url: "/api/v1/me/passkeys" })).json()).toEqual([]);
    // Recovery codes stand in for a factor: with none left they go too.
    expect((await api({ method: "GET", url: "/api/v1/me/mfa" })).json()).toEqual({
      totp: false,
      passkeys: 0,
      recoveryCodesLeft: 0,
    });
    expect((await signInWithPassword(t.app, email)).json().accessToken).toEqual(expect.any(String));
    const types = (await api({ method: "GET", url: "/api/v1/me/events" }))
      .json()
      .items.map((e: { type: string }) => e.type);
    expect(types).toContain("passkey_added");
    expect(types).toContain("passkey_removed");
  });

  it("refuses to register the same credential twice", async () => {
    const { session, authenticator } = await accountWithPasskey();
    const options = await registrationOptions(session);
    // A faulty authenticator presents the first credential again on a fresh challenge.
    const again = authenticator.register(options, { reuse: authenticator.credentials[0]! });
    const response = await as(
      t.app,
      session,
    )({
      method: "POST",
      url: "/api/v1/me/passkeys",
      payload: { name: "x", response: again },
    });
    expect(response.statusCode).toBe(409);
    expect((await as(t.app, session)({ method: "GET", url: "/api/v1/me/passkeys" })).json()).toHaveLength(1);
  });
});

describe("passkeys and old sessions", () => {
  it("a session opened before the first passkey no longer refreshes", async () => {
    const email = uniqueEmail();
    const session = await signUp(t.app, email);
    const older = (await signInWithPassword(t.app, email)).json();
    expect((await addPasskey(session, createSoftwareAuthenticator(RP))).statusCode).toBe(201);
    const response = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/refresh",
      payload: { refreshToken: older.refreshToken },
    });
    expect(response.statusCode).toBe(401);
  });
});
