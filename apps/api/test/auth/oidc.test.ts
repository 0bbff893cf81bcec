import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { mailOutbox, users } from "../../src/db/schema.ts";
import { as, buildTestApp, PASSWORD, signUp, type TestApp, uniqueEmail } from "../helpers/app.ts";
import { createSoftwareAuthenticator } from "../helpers/authenticator.ts";
import {
  advanceSteps,
  codeAt,
  enableTotp,
  freezeClockMidStep,
  secondStep,
  signInWithPassword,
} from "../helpers/mfa.ts";
import { loginAt, startOpenIdProvider, type TestOpenIdProvider } from "../helpers/oidc-provider.ts";

const PUBLIC_URL = "http://localhost:3000";
const REDIRECT_URI = `${PUBLIC_URL}/auth/oidc/callback`;

let idp: TestOpenIdProvider;
let t: TestApp;
beforeAll(async () => {
  idp = await startOpenIdProvider({ publicUrl: PUBLIC_URL, name: "Test IdP" });
  t = await buildTestApp({ PUBLIC_URL, ...idp.env, OIDC_NAME: "Test IdP" });
});
afterAll(async () => {
  await t?.close();
  await idp?.close();
});
afterEach(() => vi.useRealTimers());

let people = 0;
/** A new person at the provider; returns their username. */
function person(account: { email?: string; email_verified?: boolean; amr?: string[]; name?: string } = {}) {
  const username = `person-${Date.now()}-${people++}`;
  idp.accounts.set(username, { email: uniqueEmail("sso"), email_verified: true, name: "Pat Provider", ...account });
  return username;
}

const newBinding = () => randomBytes(32).toString("base64url");

async function start(app = t.app, binding: string | undefined = newBinding()) {
  const response = await app.inject({
    method: "POST",
    url: "/api/v1/auth/oidc/start",
    payload: binding ? { binding } : {},
  });
  expect(response.statusCode).toBe(200);
  return { ...(response.json() as { authorizationUrl: string; expiresIn: number }), binding };
}

function callback(callbackUrl: string, binding: string | undefined, app = t.app) {
  return app.inject({
    method: "POST",
    url: "/api/v1/auth/oidc/callback",
    payload: binding ? { callbackUrl, binding } : { callbackUrl },
  });
}

/** The whole round trip: start, sign in at the provider as `username`, hand the redirect back. */
async function signInAs(username: string, app = t.app) {
  const flow = await start(app);
  const callbackUrl = await loginAt(flow.authorizationUrl, username, REDIRECT_URI);
  return { response: await callback(callbackUrl, flow.binding, app), callbackUrl, flow };
}

describe("GET /auth/oidc", () => {
  it("tells clients single sign-on is on and the provider's name", async () => {
    const response = await t.app.inject({ method: "GET", url: "/api/v1/auth/oidc" });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ enabled: true, name: "Test IdP" });
  });

  it("answers 404 when OIDC_ISSUER is not set, and so does the flow", async () => {
    const plain = await buildTestApp({ AUTH_KEY_SECRET: t.config.AUTH_KEY_SECRET! }, t.database);
    try {
      const config = await plain.app.inject({ method: "GET", url: "/api/v1/auth/oidc" });
      expect(config.statusCode).toBe(404);
      expect(config.json().code).toBe("not_found");
      const response = await plain.app.inject({ method: "POST", url: "/api/v1/auth/oidc/start", payload: {} });
      expect(response.statusCode).toBe(404);
    } finally {
      await plain.close();
    }
  });
});

describe("starting a sign-in", () => {
  it("sends the browser to the provider with PKCE S256, state, nonce and the redirect URI", async () => {
    const { authorizationUrl, expiresIn } = await start();
    const url = new URL(authorizationUrl);
    expect(url.origin).toBe(idp.issuer);
    expect(url.searchParams.get("client_id")).toBe(idp.clientId);
    expect(url.searchParams.get("redirect_uri")).toBe(REDIRECT_URI);
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("scope")).toBe("openid email profile");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("state")!.length).toBeGreaterThanOrEqual(32);
    expect(url.searchParams.get("nonce")!.length).toBeGreaterThanOrEqual(32);
    expect(expiresIn).toBe(600);
  });
});

describe("the first sign-in of a provider account", () => {
  it("creates an account with the provider's verified email and a session shown as via the provider", async () => {
    const username = person({ name: "Pat Provider" });
    const { email } = idp.accounts.get(username)!;
    const { response } = await signInAs(username);
    expect(response.statusCode).toBe(200);
    const session = response.json();
    expect(session.user).toMatchObject({ email, name: "Pat Provider", emailVerified: true });
    expect(session.accessToken).toEqual(expect.any(String));

    const sessions = await as(t.app, session)({ method: "GET", url: "/api/v1/auth/sessions" });
    expect(sessions.json()).toEqual([expect.objectContaining({ current: true, via: "Test IdP" })]);
    const link = await as(t.app, session)({ method: "GET", url: "/api/v1/me/oidc" });
    expect(link.json()).toMatchObject({ enabled: true, name: "Test IdP", link: { email } });

    // An ordinary session: it refreshes, and its refresh token rotates.
    const refreshed = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/refresh",
      payload: { refreshToken: session.refreshToken },
    });
    expect(refreshed.statusCode).toBe(200);
    expect(refreshed.json().refreshToken).not.toBe(session.refreshToken);
  });

  it("leaves the email unverified, and sends a verification link, when the provider does not vouch for it", async () => {
    const username = person({ email_verified: false });
    const { response } = await signInAs(username);
    expect(response.statusCode).toBe(200);
    const { user } = response.json();
    expect(user.emailVerified).toBe(false);
    const queued = await t.database.handle.db.select().from(mailOutbox).where(eq(mailOutbox.userId, user.id));
    expect(queued.map((row) => row.kind)).toContain("verify_email");
  });

  it("gives the account no password: password sign-in with any password fails", async () => {
    const username = person();
    const { response } = await signInAs(username);
    const [row] = await t.database.handle.db.select().from(users).where(eq(users.id, response.json().user.id));
    expect(row!.passwordHash).toBeNull();
    const attempt = await signInWithPassword(t.app, row!.email, "");
    expect(attempt.statusCode).not.toBe(200);
  });

  it("is refused with signup_closed while AUTH_SIGNUP=closed, and nobody is signed in", async () => {
    const closed = await buildTestApp(
      { PUBLIC_URL, ...idp.env, AUTH_SIGNUP: "closed", AUTH_KEY_SECRET: t.config.AUTH_KEY_SECRET! },
      t.database,
    );
    try {
      const username = person();
      const { response } = await signInAs(username, closed.app);
      expect(response.statusCode).toBe(403);
      expect(response.json().code).toBe("signup_closed");
      const [row] = await t.database.handle.db
        .select()
        .from(users)
        .where(eq(users.email, idp.accounts.get(username)!.email!));
      expect(row).toBeUndefined();
    } finally {
      await closed.close();
    }
  });
});

describe("a returning provider account", () => {
  it("signs in to the same account, found by issuer and subject even after the provider's email changed", async () => {
    const username = person();
    const first = (await signInAs(username)).response.json();
    idp.accounts.get(username)!.email = uniqueEmail("changed");
    const again = await signInAs(username);
    expect(again.response.statusCode).toBe(200);
    expect(again.response.json().user.id).toBe(first.user.id);
  });

  it("is allowed while AUTH_SIGNUP=closed", async () => {
    const username = person();
    const first = (await signInAs(username)).response.json();
    const closed = await buildTestApp(
      { PUBLIC_URL, ...idp.env, AUTH_SIGNUP: "closed", AUTH_KEY_SECRET: t.config.AUTH_KEY_SECRET! },
      t.database,
    );
    try {
      const again = await signInAs(username, closed.app);
      expect(again.response.statusCode).toBe(200);
      expect(again.response.json().user.id).toBe(first.user.id);
    } finally {
      await closed.close();
    }
  });
});

describe("refused callbacks: nobody is signed in", () => {
  it("a replayed state is invalid_state", async () => {
    const username = person();
    const { response, callbackUrl, flow } = await signInAs(username);
    expect(response.statusCode).toBe(200);
    const replay = await callback(callbackUrl, flow.binding);
    expect(replay.statusCode).toBe(400);
    expect(replay.json().code).toBe("invalid_state");
  });

  it("an unknown state is invalid_state", async () => {
    const flow = await start();
    const callbackUrl = await loginAt(flow.authorizationUrl, person(), REDIRECT_URI);
    const forged = new URL(callbackUrl);
    forged.searchParams.set("state", randomBytes(32).toString("base64url"));
    const response = await callback(forged.href, flow.binding);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe("invalid_state");
  });

  it("a callback from another browser (another binding) is invalid_state", async () => {
    const flow = await start();
    const callbackUrl = await loginAt(flow.authorizationUrl, person(), REDIRECT_URI);
    const response = await callback(callbackUrl, newBinding());
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe("invalid_state");
    // And the flow is spent: its own browser cannot finish it afterwards either.
    expect((await callback(callbackUrl, flow.binding)).json().code).toBe("invalid_state");
  });

  it("a state older than 10 minutes is invalid_state", async () => {
    const flow = await start();
    const callbackUrl = await loginAt(flow.authorizationUrl, person(), REDIRECT_URI);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 10 * 60 * 1000 + 1000 });
    const response = await callback(callbackUrl, flow.binding);
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe("invalid_state");
  });

  it("an ID token minted for another nonce is oidc_failed", async () => {
    const flow = await start();
    const tampered = new URL(flow.authorizationUrl);
    tampered.searchParams.set("nonce", randomBytes(32).toString("base64url"));
    const callbackUrl = await loginAt(tampered.href, person(), REDIRECT_URI);
    const response = await callback(callbackUrl, flow.binding);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("oidc_failed");
  });

  it("an authorization response naming another issuer (RFC 9207 mix-up) is oidc_failed", async () => {
    const flow = await start();
    const callbackUrl = new URL(await loginAt(flow.authorizationUrl, person(), REDIRECT_URI));
    expect(callbackUrl.searchParams.get("iss")).toBe(idp.issuer);
    callbackUrl.searchParams.set("iss", "https://attacker.example");
    const response = await callback(callbackUrl.href, flow.binding);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("oidc_failed");
  });

  it("a provider discovered under another issuer name is never trusted", async () => {
    // The provider answers discovery for 127.0.0.1 but the API is told it lives at localhost.
    const elsewhere = idp.issuer.replace("127.0.0.1", "localhost");
    const mismatched = await buildTestApp(
      { PUBLIC_URL, ...idp.env, OIDC_ISSUER: elsewhere, AUTH_KEY_SECRET: t.config.AUTH_KEY_SECRET! },
      t.database,
    );
    try {
      const response = await mismatched.app.inject({ method: "POST", url: "/api/v1/auth/oidc/start", payload: {} });
      expect(response.statusCode).toBe(503);
      expect(response.json().code).toBe("service_unavailable");
    } finally {
      await mismatched.close();
    }
  });

  it("the person cancelling at the provider (access_denied) is oidc_failed", async () => {
    const flow = await start();
    const callbackUrl = await loginAt(flow.authorizationUrl, { cancel: true }, REDIRECT_URI);
    expect(new URL(callbackUrl).searchParams.get("error")).toBe("access_denied");
    const response = await callback(callbackUrl, flow.binding);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: "oidc_failed", detail: "Sign-in was cancelled at the provider" });
  });

  it("a code spent twice at the provider is oidc_failed, not a second session", async () => {
    const flow = await start();
    const callbackUrl = await loginAt(flow.authorizationUrl, person(), REDIRECT_URI);
    // The attacker cannot replay the state (spent), but even a second flow given the same code fails.
    expect((await callback(callbackUrl, flow.binding)).statusCode).toBe(200);
    const other = await start();
    const swapped = new URL(callbackUrl);
    swapped.searchParams.set("state", new URL(other.authorizationUrl).searchParams.get("state")!);
    const response = await callback(swapped.href, other.binding);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("oidc_failed");
  });
});

describe("an existing account with the provider's email", () => {
  it("is not signed in to; after signing in with its password, the link ticket links it", async () => {
    const email = uniqueEmail("existing");
    const owner = await signUp(t.app, email);
    await verifyEmailOf(owner.user.id);
    const username = person({ email });

    const { response, flow } = await signInAs(username);
    expect(response.statusCode).toBe(409);
    const problem = response.json();
    expect(problem).toMatchObject({ code: "oidc_link_required", email, expiresIn: 600 });
    expect(problem.accessToken).toBeUndefined();
    expect(problem.linkTicket).toMatch(/^tvl_/);

    // The owner's older session cannot link: the link needs a sign-in made after the refusal.
    const stale = await as(
      t.app,
      owner,
    )({
      method: "POST",
      url: "/api/v1/me/oidc/link",
      payload: { linkTicket: problem.linkTicket, binding: flow.binding },
    });
    expect(stale.statusCode).toBe(403);

    const signedIn = (await signInWithPassword(t.app, email)).json();
    const otherBrowser = await as(
      t.app,
      signedIn,
    )({
      method: "POST",
      url: "/api/v1/me/oidc/link",
      payload: { linkTicket: problem.linkTicket, binding: newBinding() },
    });
    expect(otherBrowser.statusCode).toBe(400);
    expect(otherBrowser.json().code).toBe("invalid_state");

    const linked = await as(
      t.app,
      signedIn,
    )({
      method: "POST",
      url: "/api/v1/me/oidc/link",
      payload: { linkTicket: problem.linkTicket, binding: flow.binding },
    });
    expect(linked.statusCode).toBe(200);
    expect(linked.json()).toMatchObject({ enabled: true, link: { email } });
    expect(await noticesOf(owner.user.id)).toContain("sso_linked");

    // The ticket is spent.
    const again = await as(
      t.app,
      signedIn,
    )({
      method: "POST",
      url: "/api/v1/me/oidc/link",
      payload: { linkTicket: problem.linkTicket, binding: flow.binding },
    });
    expect(again.statusCode).toBe(400);

    // From now on the provider signs in to that account.
    const viaProvider = await signInAs(username);
    expect(viaProvider.response.statusCode).toBe(200);
    expect(viaProvider.response.json().user.id).toBe(owner.user.id);
  });

  it("pre-hijack: an account registered unverified with the victim's address is never linked", async () => {
    const victimEmail = uniqueEmail("victim");
    // The attacker registers the victim's address first and never verifies it.
    await signUp(t.app, victimEmail, "the attacker's own passphrase");
    const victim = person({ email: victimEmail });
    const { response, flow } = await signInAs(victim);
    expect(response.statusCode).toBe(409);
    const { linkTicket } = response.json();
    // Even someone who signs in to that account with its password in the victim's browser
    // (the attacker's password) cannot link an unverified account.
    const attacker = (await signInWithPassword(t.app, victimEmail, "the attacker's own passphrase")).json();
    const link = await as(
      t.app,
      attacker,
    )({
      method: "POST",
      url: "/api/v1/me/oidc/link",
      payload: { linkTicket, binding: flow.binding },
    });
    expect(link.statusCode).toBe(403);
    expect(link.json().code).toBe("email_unverified");
    // And the provider still signs in to nothing.
    expect((await signInAs(victim)).response.statusCode).toBe(409);
  });
});

describe("the second factor after single sign-on", () => {
  it("is still asked when the provider reports no MFA, and the session it opens is via the provider", async () => {
    freezeClockMidStep();
    const { session, username, secret } = await ssoAccountWithTotp(["pwd"]);
    const { response } = await signInAs(username);
    expect(response.statusCode).toBe(200);
    const step = response.json();
    expect(step).toMatchObject({ mfaRequired: true, methods: expect.arrayContaining(["totp"]) });
    expect(step.accessToken).toBeUndefined();
    const finished = await secondStep(t.app, { mfaToken: step.mfaToken, code: codeAt(secret) });
    expect(finished.statusCode).toBe(200);
    expect(finished.json().user.id).toBe(session.user.id);
    const list = await as(t.app, finished.json())({ method: "GET", url: "/api/v1/auth/sessions" });
    expect(list.json().find((row: { current: boolean }) => row.current).via).toBe("Test IdP");
  });

  it("is not asked again when the ID token's amr says the provider checked one (mfa, otp, hwk…)", async () => {
    freezeClockMidStep();
    const { session, username } = await ssoAccountWithTotp(["pwd", "otp", "mfa"]);
    const { response } = await signInAs(username);
    expect(response.statusCode).toBe(200);
    expect(response.json().accessToken).toEqual(expect.any(String));
    expect(response.json().user.id).toBe(session.user.id);
  });
});

describe("an account without a password confirms sensitive changes with a second factor", () => {
  /** A provider account's own Taskvault account (no password) with an authenticator app set up. */
  async function passwordlessWithTotp() {
    freezeClockMidStep();
    const username = person({ amr: ["pwd"] });
    const session = (await signInAs(username)).response.json();
    const api = as(t.app, session);
    // No factor yet: nothing stronger than the session to show, so none is asked for.
    const started = await api({ method: "POST", url: "/api/v1/me/mfa/totp", payload: {} });
    expect(started.statusCode).toBe(200);
    const { secret } = started.json();
    const confirmed = await api({
      method: "POST",
      url: "/api/v1/me/mfa/totp/confirm",
      payload: { code: codeAt(secret) },
    });
    expect(confirmed.statusCode).toBe(200);
    advanceSteps(1);
    return { username, session, api, secret, recoveryCodes: confirmed.json().recoveryCodes as string[] };
  }

  const expectInvalidCode = (response: { statusCode: number; json(): { code: string } }) => {
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe("invalid_code");
  };

  it("single sign-on still asks such an account for its second factor", async () => {
    const { username, session, secret } = await passwordlessWithTotp();
    const step = (await signInAs(username)).response.json();
    expect(step).toMatchObject({ mfaRequired: true, methods: ["totp", "recovery_code"] });
    expect(step.accessToken).toBeUndefined();
    const finished = await secondStep(t.app, { mfaToken: step.mfaToken, code: codeAt(secret) });
    expect(finished.json().user.id).toBe(session.user.id);
  });

  it("an API token, new recovery codes and the email change take a code, not a password", async () => {
    const { api, secret, recoveryCodes, session } = await passwordlessWithTotp();
    const token = { name: "script", scopes: ["todos:read"] };
    expectInvalidCode(await api({ method: "POST", url: "/api/v1/me/tokens", payload: token }));
    expectInvalidCode(
      await api({ method: "POST", url: "/api/v1/me/tokens", payload: { ...token, password: "any password at all" } }),
    );
    expect(
      (await api({ method: "POST", url: "/api/v1/me/tokens", payload: { ...token, code: codeAt(secret) } })).statusCode,
    ).toBe(201);
    // That code is spent: it does not confirm a second change.
    expectInvalidCode(
      await api({ method: "POST", url: "/api/v1/me/mfa/recovery-codes", payload: { code: codeAt(secret) } }),
    );
    const renewed = await api({
      method: "POST",
      url: "/api/v1/me/mfa/recovery-codes",
      payload: { recoveryCode: recoveryCodes[0] },
    });
    expect(renewed.statusCode).toBe(200);
    const fresh = renewed.json().recoveryCodes as string[];

    const newEmail = uniqueEmail("moved");
    expectInvalidCode(await api({ method: "PUT", url: "/api/v1/me/email", payload: { email: newEmail } }));
    const moved = await api({
      method: "PUT",
      url: "/api/v1/me/email",
      payload: { email: newEmail, recoveryCode: fresh[0] },
    });
    expect(moved.statusCode).toBe(202);
    const queued = await t.database.handle.db.select().from(mailOutbox).where(eq(mailOutbox.userId, session.user.id));
    expect(queued.map((row) => row.recipient)).toContain(newEmail);
  });

  it("setting a first password takes a code; from then on the password is what is asked", async () => {
    const { api, secret, session } = await passwordlessWithTotp();
    const newPassword = "a first password of my own";
    expectInvalidCode(await api({ method: "PUT", url: "/api/v1/me/password", payload: { newPassword } }));
    const set = await api({
      method: "PUT",
      url: "/api/v1/me/password",
      payload: { newPassword, code: codeAt(secret) },
    });
    expect(set.statusCode).toBe(204);
    // The password signs in now (with the second factor, as always).
    expect((await signInWithPassword(t.app, session.user.email, newPassword)).json().mfaRequired).toBe(true);
    advanceSteps(1);
    const token = { name: "script", scopes: ["todos:read"] };
    const codeOnly = await api({
      method: "POST",
      url: "/api/v1/me/tokens",
      payload: { ...token, code: codeAt(secret) },
    });
    expect(codeOnly.statusCode).toBe(422);
    expect(
      (await api({ method: "POST", url: "/api/v1/me/tokens", payload: { ...token, password: newPassword } }))
        .statusCode,
    ).toBe(201);
  });

  it("deleting the account takes a code", async () => {
    const { api, secret, session } = await passwordlessWithTotp();
    expectInvalidCode(await api({ method: "DELETE", url: "/api/v1/me", payload: {} }));
    expect((await api({ method: "DELETE", url: "/api/v1/me", payload: { code: codeAt(secret) } })).statusCode).toBe(
      204,
    );
    const [row] = await t.database.handle.db.select().from(users).where(eq(users.id, session.user.id));
    expect(row).toBeUndefined();
  });

  it("removing the authenticator app takes a code", async () => {
    const { api, secret } = await passwordlessWithTotp();
    expectInvalidCode(await api({ method: "DELETE", url: "/api/v1/me/mfa/totp", payload: {} }));
    expect(
      (await api({ method: "DELETE", url: "/api/v1/me/mfa/totp", payload: { code: codeAt(secret) } })).statusCode,
    ).toBe(204);
    expect((await api({ method: "GET", url: "/api/v1/me/mfa" })).json()).toEqual({
      totp: false,
      passkeys: 0,
      recoveryCodesLeft: 0,
    });
  });

  it("an account whose only factor is a passkey confirms with the passkey", async () => {
    const session = (await signInAs(person())).response.json();
    const api = as(t.app, session);
    const authenticator = createSoftwareAuthenticator({ origin: PUBLIC_URL, rpId: new URL(PUBLIC_URL).hostname });
    const creation = (await api({ method: "POST", url: "/api/v1/me/passkeys/options" })).json();
    const added = await api({
      method: "POST",
      url: "/api/v1/me/passkeys",
      payload: { name: "Phone", response: authenticator.register(creation) },
    });
    expect(added.statusCode).toBe(201);
    const assertion = async (overrides: Parameters<typeof authenticator.authenticate>[1] = {}) => {
      const { challengeId, options } = (
        await t.app.inject({ method: "POST", url: "/api/v1/auth/passkey/options" })
      ).json();
      return { challengeId, response: authenticator.authenticate(options, overrides) };
    };
    const token = { name: "script", scopes: ["todos:read"] };
    expectInvalidCode(await api({ method: "POST", url: "/api/v1/me/tokens", payload: token }));
    expectInvalidCode(
      await api({
        method: "POST",
        url: "/api/v1/me/tokens",
        payload: { ...token, ...(await assertion({ tamperSignature: true })) },
      }),
    );
    // Another account's passkey proves nothing here.
    const other = (await signInAs(person())).response.json();
    const otherAuthenticator = createSoftwareAuthenticator({ origin: PUBLIC_URL, rpId: new URL(PUBLIC_URL).hostname });
    const otherCreation = (await as(t.app, other)({ method: "POST", url: "/api/v1/me/passkeys/options" })).json();
    await as(
      t.app,
      other,
    )({
      method: "POST",
      url: "/api/v1/me/passkeys",
      payload: { name: "Other", response: otherAuthenticator.register(otherCreation) },
    });
    const { challengeId, options } = (
      await t.app.inject({ method: "POST", url: "/api/v1/auth/passkey/options" })
    ).json();
    expectInvalidCode(
      await api({
        method: "POST",
        url: "/api/v1/me/tokens",
        payload: { ...token, challengeId, response: otherAuthenticator.authenticate(options) },
      }),
    );
    const proof = await assertion();
    expect((await api({ method: "POST", url: "/api/v1/me/tokens", payload: { ...token, ...proof } })).statusCode).toBe(
      201,
    );
    // Its challenge is spent.
    expectInvalidCode(await api({ method: "POST", url: "/api/v1/me/tokens", payload: { ...token, ...proof } }));
    // And the last passkey goes with the passkey's say-so.
    const removed = await api({
      method: "DELETE",
      url: `/api/v1/me/passkeys/${added.json().id}`,
      payload: await assertion(),
    });
    expect(removed.statusCode).toBe(204);
  });
});

describe("GET /me/oidc", () => {
  it("says whether the account has a password, so clients ask a provider-made account for a second factor instead", async () => {
    const { response } = await signInAs(person());
    const status = await as(t.app, response.json())({ method: "GET", url: "/api/v1/me/oidc" });
    expect(status.json()).toMatchObject({ hasPassword: false });
    const withPassword = await signUp(t.app);
    const other = await as(t.app, withPassword)({ method: "GET", url: "/api/v1/me/oidc" });
    expect(other.json()).toMatchObject({ hasPassword: true, link: null });
  });
});

describe("unlinking", () => {
  it("is refused with 409 last_way_in while the provider is the account's only way in", async () => {
    const { response } = await signInAs(person());
    const session = response.json();
    const refused = await as(t.app, session)({ method: "DELETE", url: "/api/v1/me/oidc" });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe("last_way_in");
    expect((await as(t.app, session)({ method: "GET", url: "/api/v1/me/oidc" })).json().link).not.toBeNull();
  });

  it("works for an account with a password, sends a notice, and the provider no longer signs in to it", async () => {
    const email = uniqueEmail("unlink");
    const owner = await signUp(t.app, email);
    await verifyEmailOf(owner.user.id);
    const username = person({ email });
    const refused = await signInAs(username);
    const signedIn = (await signInWithPassword(t.app, email)).json();
    const linked = await as(
      t.app,
      signedIn,
    )({
      method: "POST",
      url: "/api/v1/me/oidc/link",
      payload: { linkTicket: refused.response.json().linkTicket, binding: refused.flow.binding },
    });
    expect(linked.statusCode).toBe(200);

    const unlinked = await as(t.app, signedIn)({ method: "DELETE", url: "/api/v1/me/oidc" });
    expect(unlinked.statusCode).toBe(204);
    expect(await noticesOf(owner.user.id)).toContain("sso_unlinked");
    expect((await as(t.app, signedIn)({ method: "GET", url: "/api/v1/me/oidc" })).json().link).toBeNull();
    expect((await signInAs(username)).response.json().code).toBe("oidc_link_required");
    expect((await as(t.app, signedIn)({ method: "DELETE", url: "/api/v1/me/oidc" })).statusCode).toBe(404);
  });
});

async function verifyEmailOf(userId: string) {
  await t.database.handle.db.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, userId));
}

async function noticesOf(userId: string): Promise<string[]> {
  const rows = await t.database.handle.db.select().from(mailOutbox).where(eq(mailOutbox.userId, userId));
  return rows.filter((row) => row.kind === "security_notice").map((row) => (row.data as { event: string }).event);
}

/**
 * An account that has a password and TOTP, linked to a provider account whose sign-ins report
 * `amr`: made by password sign-up, linked through the refusal, then the authenticator app added.
 */
async function ssoAccountWithTotp(amr: string[]) {
  const email = uniqueEmail("factor");
  const session = await signUp(t.app, email);
  await verifyEmailOf(session.user.id);
  const username = person({ email, amr });
  const refused = await signInAs(username);
  const signedIn = (await signInWithPassword(t.app, email, PASSWORD)).json();
  const linked = await as(
    t.app,
    signedIn,
  )({
    method: "POST",
    url: "/api/v1/me/oidc/link",
    payload: { linkTicket: refused.response.json().linkTicket, binding: refused.flow.binding },
  });
  expect(linked.statusCode).toBe(200);
  const { secret } = await enableTotp(t.app, signedIn);
  return { session, username, secret };
}
