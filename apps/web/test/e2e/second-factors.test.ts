import * as OTPAuth from "otpauth";
import type { Browser, BrowserContext, CDPSession, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startOpenIdProvider, type TestOpenIdProvider } from "../../../api/test/helpers/oidc-provider.ts";
import { eventually, hasStack, PASSWORD, stack, uniqueEmail, useBrowser } from "./browser.ts";
import { freePort, type Stack, startStack } from "./stack.ts";

/**
 * Second factors and passkeys as a new user meets them (issue 16): an authenticator app with codes
 * computed here, recovery codes, and passkeys made by Chromium's DevTools virtual authenticator.
 * Everything runs on `localhost` — the API's PUBLIC_URL — because WebAuthn needs a secure context
 * and a domain for its RP ID.
 */
const origin = () => stack?.publicUrl ?? "";
const at = (path: string) => new URL(path, origin()).toString();

async function newPerson(browser: Browser) {
  const context = await browser.newContext({ baseURL: origin() });
  const page = await context.newPage();
  const email = uniqueEmail("mfa");
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Second Factor");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(at("/"));
  await page.getByLabel("New todo").waitFor();
  return { context, page, email };
}

async function readCredentials(cdp: CDPSession, authenticatorId: string) {
  return (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
}
type Credential = Awaited<ReturnType<typeof readCredentials>>[number];

/** A platform authenticator with resident keys and user verification, like a laptop's fingerprint reader. */
async function addVirtualAuthenticator(page: Page, copyOf: Credential[] = []) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
    },
  });
  for (const credential of copyOf) await cdp.send("WebAuthn.addCredential", { authenticatorId, credential });
  return {
    credentials: () => readCredentials(cdp, authenticatorId),
    /** `false`: the fingerprint is not recognised, so a ceremony that requires verification fails. */
    setUserVerified: (isUserVerified: boolean) =>
      cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified }),
  };
}

async function passwordStep(page: Page, email: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function expectSignedIn(page: Page) {
  await page.waitForURL(at("/"));
  await page.getByLabel("New todo").waitFor();
}

async function signOut(page: Page) {
  // Leave the app first: its open page would notice the ended session and navigate on its own.
  await page.goto("about:blank");
  const response = await page.request.post("/api/auth/signout");
  expect(response.status()).toBe(204);
}

function totpFor(secret: string, offsetSeconds = 0): string {
  const totp = new OTPAuth.TOTP({
    secret: OTPAuth.Secret.fromBase32(secret),
    digits: 6,
    period: 30,
    algorithm: "SHA1",
  });
  return totp.generate({ timestamp: Date.now() + offsetSeconds * 1000 });
}

/**
 * Holds the sign-in page's first passkey challenge request (the Email field's autofill asks for one
 * as the page loads): the virtual authenticator answers conditional requests at once, so without this
 * the autofill would win the race against the button under test.
 */
async function holdAutofill(page: Page) {
  let requests = 0;
  await page.route("**/api/auth/passkey/options", async (route) => {
    requests++;
    if (requests > 1) await route.continue();
  });
}

async function freshContext(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: origin() });
  return { context, page: await context.newPage() };
}

describe.skipIf(!hasStack)("second factors and passkeys", () => {
  const chromium = useBrowser();

  test("a person sets up an authenticator app, signs in with its code, and with a recovery code once", {
    timeout: 120_000,
  }, async () => {
    const { context, page, email } = await newPerson(chromium.browser);
    await page.goto("/settings");
    const security = page.getByRole("region", { name: "Security" });
    await security.getByRole("button", { name: "Set up authenticator app" }).click();
    const stepUp = security.getByRole("form", { name: "Set up authenticator app" });
    await stepUp.getByLabel("Password", { exact: true }).fill("not my password");
    await stepUp.getByRole("button", { name: "Continue" }).click();
    await expect.poll(() => stepUp.getByRole("alert").textContent()).toBe("The password is not right.");
    await stepUp.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await stepUp.getByRole("button", { name: "Continue" }).click();

    await security.getByRole("img", { name: "QR code for your authenticator app" }).waitFor();
    const qr = await security.getByRole("img", { name: "QR code for your authenticator app" }).getAttribute("src");
    expect(qr).toMatch(/^data:image\/svg\+xml/);
    const secret = await security.getByLabel("Setup key").inputValue();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);

    await security.getByLabel("Authentication code").fill(totpFor(secret, 300));
    await security.getByRole("button", { name: "Turn on" }).click();
    await expect
      .poll(() => security.getByRole("form", { name: "Confirm authenticator app" }).getByRole("alert").textContent())
      .toBe("That code is not right or was already used.");
    await security.getByLabel("Authentication code").fill(totpFor(secret));
    await security.getByRole("button", { name: "Turn on" }).click();
    const codes = security.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
    await eventually(async () => (await codes.count()) === 10);
    const recoveryCodes = await codes.allTextContents();
    expect(security.getByRole("button", { name: "Copy codes" })).toBeTruthy();
    await security.getByRole("button", { name: "Download codes" }).waitFor();
    await security.getByRole("button", { name: "I have saved them" }).click();
    await security.getByText(/On\. .*10 recovery codes left\./).waitFor();
    await context.close();

    // Another device: the password alone no longer signs in.
    const second = await freshContext(chromium.browser);
    await passwordStep(second.page, email);
    await second.page.getByLabel("Authentication code").waitFor();
    expect(second.page.url()).toBe(at("/signin"));
    // The pending step's token sits in an HttpOnly cookie the page cannot read.
    const pending = (await second.context.cookies()).find((cookie) => cookie.name.endsWith("tv_mfa"));
    expect(pending?.httpOnly).toBe(true);
    expect(await second.page.evaluate(() => document.cookie)).not.toContain("tvm_");
    await second.page.getByLabel("Authentication code").fill(totpFor(secret, 600));
    await second.page.getByRole("button", { name: "Verify" }).click();
    await expect
      .poll(() => second.page.getByRole("main").getByRole("alert").textContent())
      .toBe("That code is not right or was already used.");
    // The enrolment spent this time step's code: the next step's is accepted (one step either side).
    await second.page.getByLabel("Authentication code").fill(totpFor(secret, 30));
    await second.page.getByRole("button", { name: "Verify" }).click();
    await expectSignedIn(second.page);
    expect((await second.context.cookies()).some((cookie) => cookie.name.endsWith("tv_mfa"))).toBe(false);
    await second.context.close();

    // The phone is lost: a recovery code signs in once.
    const third = await freshContext(chromium.browser);
    await passwordStep(third.page, email);
    await third.page.getByRole("button", { name: "Use a recovery code" }).click();
    await third.page.getByLabel("Recovery code").fill(recoveryCodes[0] as string);
    await third.page.getByRole("button", { name: "Verify" }).click();
    await expectSignedIn(third.page);
    await third.context.close();

    const fourth = await freshContext(chromium.browser);
    await passwordStep(fourth.page, email);
    await fourth.page.getByRole("button", { name: "Use a recovery code" }).click();
    await fourth.page.getByLabel("Recovery code").fill(recoveryCodes[0] as string);
    await fourth.page.getByRole("button", { name: "Verify" }).click();
    await expect
      .poll(() => fourth.page.getByRole("main").getByRole("alert").textContent())
      .toBe("That recovery code is not right or was already used.");
    await fourth.page.getByLabel("Recovery code").fill(recoveryCodes[1] as string);
    await fourth.page.getByRole("button", { name: "Verify" }).click();
    await expectSignedIn(fourth.page);

    // Turning the app off (with the password) makes the password enough again.
    await fourth.page.goto("/settings");
    const settings = fourth.page.getByRole("region", { name: "Security" });
    await settings.getByText(/8 recovery codes left/).waitFor();
    await settings.getByRole("button", { name: "Turn off authenticator app" }).click();
    const turnOff = settings.getByRole("form", { name: "Turn off authenticator app" });
    await turnOff.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await turnOff.getByRole("button", { name: "Turn off" }).click();
    await settings.getByRole("button", { name: "Set up authenticator app" }).waitFor();
    await fourth.context.close();

    const fifth = await freshContext(chromium.browser);
    await passwordStep(fifth.page, email);
    await expectSignedIn(fifth.page);
    await fifth.context.close();
  });

  test("a person adds a passkey, signs in with it alone and after a password, renames and removes it", {
    timeout: 120_000,
  }, async () => {
    const { context, page, email } = await newPerson(chromium.browser);
    const authenticator = await addVirtualAuthenticator(page);
    await page.goto("/settings");
    const security = page.getByRole("region", { name: "Security" });
    await security.getByText("No passkeys yet.").waitFor();
    await security.getByRole("button", { name: "Add a passkey" }).click();
    await security.getByLabel("Passkey name").fill("Work laptop");
    await security.getByRole("button", { name: "Create passkey" }).click();
    const passkeys = security.getByRole("list", { name: "Passkeys" });
    const item = passkeys.getByRole("listitem").filter({ hasText: "Work laptop" });
    await item.waitFor();
    await item.getByText("This device").waitFor();
    await item.getByText("Never used to sign in").waitFor();
    const [credential] = await authenticator.credentials();
    expect(credential?.isResidentCredential).toBe(true);

    // Passwordless: the browser offers the passkey in the Email field's suggestions (conditional
    // mediation), and the virtual authenticator picks its only passkey at once.
    await signOut(page);
    await page.goto("/signin");
    await expectSignedIn(page);

    // The button.
    const laptop = await freshContext(chromium.browser);
    await holdAutofill(laptop.page);
    const copy = await addVirtualAuthenticator(laptop.page, await authenticator.credentials());
    await laptop.page.goto("/signin");
    await expect(laptop.page.getByLabel("Email").getAttribute("autocomplete")).resolves.toBe("username webauthn");
    await laptop.page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await expectSignedIn(laptop.page);
    // The copy carries the newest signature counter (a counter going backwards is refused).
    const newest = await copy.credentials();
    await laptop.context.close();

    // After a password, the passkey serves as the second step.
    const phone = await freshContext(chromium.browser);
    await holdAutofill(phone.page);
    await addVirtualAuthenticator(phone.page, newest);
    await passwordStep(phone.page, email);
    await phone.page.getByRole("button", { name: "Use a passkey" }).waitFor();
    await expect(phone.page.getByLabel("Authentication code").count()).resolves.toBe(0);
    await phone.page.getByRole("button", { name: "Use a passkey" }).click();
    await expectSignedIn(phone.page);
    await phone.context.close();

    await page.goto("/settings");
    await item.getByText(/Last used/).waitFor();
    await item.getByRole("button", { name: "Rename Work laptop" }).click();
    await item.getByLabel("Passkey name").fill("Old laptop");
    await item.getByRole("button", { name: "Save name" }).click();
    const renamed = passkeys.getByRole("listitem").filter({ hasText: "Old laptop" });
    await renamed.waitFor();

    // The last second factor goes only with the password.
    await renamed.getByRole("button", { name: "Remove Old laptop" }).click();
    const remove = renamed.getByRole("form", { name: "Remove Old laptop" });
    await remove.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await remove.getByRole("button", { name: "Remove passkey" }).click();
    await security.getByText("No passkeys yet.").waitFor();

    // The credential is still on the authenticator, but the account no longer knows it.
    await signOut(page);
    await page.goto("/signin");
    await expect
      .poll(() => page.getByRole("main").getByRole("alert").textContent())
      .toBe("That passkey could not be verified.");
    expect(page.url()).toBe(at("/signin"));
    await context.close();
    // And the password alone is enough again.
    const last = await freshContext(chromium.browser);
    await passwordStep(last.page, email);
    await expectSignedIn(last.page);
    await last.context.close();
  });
});

describe.skipIf(!hasStack)("an account whose only factor is a passkey (single sign-on, no password)", () => {
  const chromium = useBrowser();
  let idp: TestOpenIdProvider;
  let ssoStack: Stack;

  beforeAll(async () => {
    // A stack of its own with an OpenID provider, on localhost for the passkeys; the provider
    // registers the redirect URI PUBLIC_URL/auth/oidc/callback, so the web port is chosen first.
    const webPort = await freePort();
    idp = await startOpenIdProvider({ publicUrl: `http://localhost:${webPort}`, name: "Test IdP" });
    ssoStack = await startStack({
      accessTtl: 60,
      webPort,
      publicHost: "localhost",
      apiEnv: { ...idp.env, OIDC_NAME: "Test IdP" },
    });
  }, 300_000);
  afterAll(async () => {
    await ssoStack?.stop();
    await idp?.close();
  });

  test("a person who signs in with single sign-on and adds a passkey confirms a new API token and the passkey's removal with it", {
    timeout: 120_000,
  }, async () => {
    const context = await chromium.browser.newContext({ baseURL: ssoStack.publicUrl });
    const page = await context.newPage();
    const username = `passkey-only-${Date.now().toString(36)}`;
    idp.accounts.set(username, { email: uniqueEmail("passkey-only"), email_verified: true, name: "Pat Passkey" });
    await page.goto("/signin");
    await page.getByRole("button", { name: "Sign in with Test IdP", exact: true }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.getByLabel("Username").fill(username);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(new URL("/", ssoStack.publicUrl).toString());
    await page.getByLabel("New todo").waitFor();

    const authenticator = await addVirtualAuthenticator(page);
    await page.goto("/settings");
    const security = page.getByRole("region", { name: "Security" });
    await security.getByRole("button", { name: "Add a passkey" }).click();
    await security.getByLabel("Passkey name").fill("Phone");
    await security.getByRole("button", { name: "Create passkey" }).click();
    const item = security.getByRole("list", { name: "Passkeys" }).getByRole("listitem").filter({ hasText: "Phone" });
    await item.getByText("Never used to sign in").waitFor();

    // No password, no authenticator app, no recovery codes: the passkey is the only way to confirm.
    await page.getByRole("button", { name: "New token" }).click();
    const form = page.getByRole("form", { name: "Create an API token" });
    await form.getByLabel("Name").fill("passkey script");
    await form.getByText("Your account has no password: confirm it's you with your passkey").waitFor();
    expect(await form.getByLabel("Password", { exact: true }).count()).toBe(0);
    expect(await form.getByLabel("Authentication code").count()).toBe(0);
    expect(await form.getByLabel("Recovery code").count()).toBe(0);

    // A fingerprint the device does not recognise confirms nothing.
    await authenticator.setUserVerified(false);
    await form.getByRole("button", { name: "Create token" }).click();
    await page.getByText("No passkey was used.").waitFor();
    expect(await page.getByRole("region", { name: "New API token" }).count()).toBe(0);

    await authenticator.setUserVerified(true);
    await form.getByRole("button", { name: "Create token" }).click();
    const token = await page.getByRole("region", { name: "New API token" }).getByLabel("Token").inputValue();
    const read = await fetch(`${ssoStack.apiUrl}/api/v1/todos`, { headers: { authorization: `Bearer ${token}` } });
    expect(read.status).toBe(200);
    // The API checked the passkey's signature for it (and counts that as a use).
    await page.reload();
    await item.getByText(/Last used/).waitFor();

    // The last factor goes with that factor's own confirmation.
    await item.getByRole("button", { name: "Remove Phone" }).click();
    const remove = item.getByRole("form", { name: "Remove Phone" });
    await remove.getByText("confirm it's you with your passkey").waitFor();
    await remove.getByRole("button", { name: "Remove passkey" }).click();
    await security.getByText("No passkeys yet.").waitFor();
    await context.close();
  });
});
