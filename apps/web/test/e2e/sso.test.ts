import * as OTPAuth from "otpauth";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loginAt, startOpenIdProvider, type TestOpenIdProvider } from "../../../api/test/helpers/oidc-provider.ts";
import { startMailbox, type TestMailbox } from "../../../api/test/helpers/smtp.ts";
import { addTodo, hasStack, PASSWORD, uniqueEmail, useBrowser } from "./browser.ts";
import { freePort, type Stack, startStack } from "./stack.ts";

/**
 * Single sign-on as people live it (issue 17): a stack of its own whose API is configured with a
 * real OpenID provider running in this process (oidc-provider, with its login page: Username,
 * Continue, Cancel) and sends mail to a real SMTP server here, so security notices can be read.
 */
const IDP_NAME = "Test IdP";
const SSO_BUTTON = `Sign in with ${IDP_NAME}`;

describe.skipIf(!hasStack)("single sign-on in the browser", () => {
  const chromium = useBrowser();
  let mailbox: TestMailbox;
  let idp: TestOpenIdProvider;
  let ssoStack: Stack;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mailbox = await startMailbox();
    // The provider registers the redirect URI PUBLIC_URL/auth/oidc/callback: the web port is chosen first.
    const webPort = await freePort();
    idp = await startOpenIdProvider({ publicUrl: `http://127.0.0.1:${webPort}`, name: IDP_NAME });
    ssoStack = await startStack({
      accessTtl: 60,
      webPort,
      apiEnv: { SMTP_URL: mailbox.url, MAIL_POLL_SECONDS: "0.05", ...idp.env },
    });
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await ssoStack?.stop();
    await idp?.close();
    await mailbox?.close();
  });

  const web = (path = "/") => new URL(path, ssoStack.webUrl).toString();

  /** A browser of its own: its own cookies here and at the provider. */
  async function newPage(): Promise<Page> {
    const context = await chromium.browser.newContext({ baseURL: ssoStack.webUrl });
    contexts.push(context);
    return context.newPage();
  }

  let people = 0;
  /** A new person at the provider; returns their username. */
  function providerPerson(email = uniqueEmail("sso")): string {
    const username = `person-${++people}-${Date.now().toString(36)}`;
    idp.accounts.set(username, { email, email_verified: true, name: "Pat Provider" });
    return username;
  }

  /** From /signin, through the provider's login page, as `username`. */
  async function signInWithProvider(page: Page, username: string) {
    await page.goto("/signin");
    await page.getByRole("button", { name: SSO_BUTTON, exact: true }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.getByLabel("Username").fill(username);
    await page.getByRole("button", { name: "Continue" }).click();
  }

  async function cookieNames(page: Page): Promise<string[]> {
    return (await page.context().cookies(ssoStack.webUrl)).map((cookie) => cookie.name);
  }

  /** Settings → Security → authenticator app, with a code computed here; returns one recovery code. */
  async function turnOnAuthenticatorApp(page: Page): Promise<string> {
    await page.goto("/settings");
    const security = page.getByRole("region", { name: "Security" });
    await security.getByRole("button", { name: "Set up authenticator app" }).click();
    const stepUp = security.getByRole("form", { name: "Set up authenticator app" });
    await stepUp.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await stepUp.getByRole("button", { name: "Continue" }).click();
    const secret = await security.getByLabel("Setup key").inputValue();
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), digits: 6, period: 30 });
    await security.getByLabel("Authentication code").fill(totp.generate());
    await security.getByRole("button", { name: "Turn on" }).click();
    const codes = security.getByRole("list", { name: "Recovery codes" }).getByRole("listitem");
    await codes.first().waitFor();
    const recoveryCode = (await codes.first().textContent()) ?? "";
    await security.getByRole("button", { name: "I have saved them" }).click();
    return recoveryCode;
  }

  const ssoCard = (page: Page) => page.getByRole("region", { name: "Single sign-on" });

  /** Filled by the first test: its successful callback URL, for the replay test. */
  let spentCallbackUrl = "";
  /** The account the first test created through the provider, still signed in. */
  let ssoOnly: Page;

  test("a new person signs in with the provider and gets an account; another device comes back to it", async () => {
    const page = await newPage();
    const username = providerPerson();
    const { email } = idp.accounts.get(username)!;
    page.on("request", (request) => {
      if (request.url().startsWith(web("/auth/oidc/callback"))) spentCallbackUrl = request.url();
    });

    await page.goto("/signin");
    // The three ways in keep names of their own.
    await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
    await page.getByRole("button", { name: "Sign in with a passkey", exact: true }).waitFor();
    await page.getByRole("button", { name: SSO_BUTTON, exact: true }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    // The flow's browser binding waits in an HttpOnly cookie; page JavaScript cannot read it.
    const binding = (await page.context().cookies(ssoStack.webUrl)).find((cookie) => cookie.name === "tv_sso");
    expect(binding?.httpOnly).toBe(true);
    expect(await page.evaluate(() => document.cookie)).not.toContain("tv_sso");

    await page.getByLabel("Username").fill(username);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(web("/"));
    await page.getByLabel("New todo").waitFor();
    await addTodo(page, "Planted through single sign-on");
    expect(await cookieNames(page)).toEqual(expect.arrayContaining(["tv_at", "tv_rt"]));
    expect(await cookieNames(page)).not.toContain("tv_sso");
    expect(new URL(spentCallbackUrl).searchParams.get("code")).toBeTruthy();

    await page.goto("/settings");
    await page.getByRole("region", { name: "Email" }).getByText("Verified", { exact: true }).waitFor();
    await page.getByRole("list", { name: "Sessions" }).getByText(`via ${IDP_NAME}`).waitFor();
    await ssoCard(page).getByText(`Linked to ${IDP_NAME} as ${email}`).waitFor();
    ssoOnly = page;

    // Another browser: the provider account finds the same Taskvault account.
    const other = await newPage();
    await signInWithProvider(other, username);
    await other.waitForURL(web("/"));
    await other.getByRole("checkbox", { name: "Planted through single sign-on", exact: true }).waitFor();
  });

  test("unlinking is refused while the provider is the account's only way in", async () => {
    await ssoOnly.goto("/settings");
    await ssoCard(ssoOnly)
      .getByRole("button", { name: `Unlink ${IDP_NAME}` })
      .click();
    await expect
      .poll(() => ssoCard(ssoOnly).getByRole("status").textContent())
      .toContain(`You cannot unlink ${IDP_NAME} yet: it is the only way into this account.`);
    await ssoOnly.reload();
    await ssoCard(ssoOnly).getByText(`Linked to ${IDP_NAME} as`).waitFor();
  });

  test("an existing account's email is refused until its owner signs in with the password and links it", async () => {
    // The owner signs up with a password and confirms the address (only a verified account can be linked).
    const owner = await newPage();
    const email = uniqueEmail("owner");
    await owner.goto("/signup");
    await owner.getByLabel("Email").fill(email);
    await owner.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await owner.getByRole("button", { name: "Create account" }).click();
    await owner.waitForURL(web("/"));
    await addTodo(owner, "Kept by the password account");
    const confirm = await mailbox.waitFor((mail) => mail.to === email && mail.subject.startsWith("Confirm"));
    const verifyLink = confirm.links.find((link) => new URL(link).pathname === "/verify-email");
    await owner.goto(verifyLink!);
    await owner.getByRole("button", { name: "Confirm email" }).click();
    await owner.getByText(`Your email address ${email} is confirmed.`).waitFor();

    // The same person at the provider, in another browser: nobody is signed in, the page says what to do.
    const page = await newPage();
    const username = providerPerson(email);
    await signInWithProvider(page, username);
    await page.waitForURL(web("/link-sso"));
    await page.getByRole("heading", { name: `Link ${IDP_NAME} to your account` }).waitFor();
    await page.getByText(email, { exact: true }).waitFor();
    const names = await cookieNames(page);
    expect(names).not.toContain("tv_at");
    expect(names).not.toContain("tv_rt");
    // The ticket is in an HttpOnly cookie, never in the URL.
    expect(new URL(page.url()).search).toBe("");
    expect((await page.context().cookies(ssoStack.webUrl)).find((c) => c.name === "tv_sso_link")?.httpOnly).toBe(true);

    await page.getByRole("link", { name: "Sign in to link" }).click();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(web("/link-sso"));
    await page.getByRole("button", { name: "Link", exact: true }).click();
    await page.waitForURL(web("/settings"));
    await ssoCard(page).getByText(`Linked to ${IDP_NAME} as ${email}`).waitFor();
    const notice = await mailbox.waitFor(
      (mail) => mail.to === email && mail.subject.startsWith("Single sign-on was linked"),
    );
    expect(notice.text).toContain(IDP_NAME);
    expect(await cookieNames(page)).not.toContain("tv_sso_link");

    // From now on the provider signs in to the password account.
    const later = await newPage();
    await signInWithProvider(later, username);
    await later.waitForURL(web("/"));
    await later.getByRole("checkbox", { name: "Kept by the password account", exact: true }).waitFor();

    // Once the account has a second factor, a provider that reports none (amr ["pwd"]) is followed
    // by the account's own second step on /signin.
    const recoveryCode = await turnOnAuthenticatorApp(page);
    const withSecondStep = await newPage();
    await signInWithProvider(withSecondStep, username);
    await withSecondStep.waitForURL((url) => url.pathname === "/signin");
    await withSecondStep.getByLabel("Authentication code").waitFor();
    expect(await cookieNames(withSecondStep)).not.toContain("tv_rt");
    await withSecondStep.getByRole("button", { name: "Use a recovery code" }).click();
    await withSecondStep.getByLabel("Recovery code").fill(recoveryCode);
    await withSecondStep.getByRole("button", { name: "Verify" }).click();
    await withSecondStep.waitForURL(web("/"));
    await withSecondStep.getByRole("checkbox", { name: "Kept by the password account", exact: true }).waitFor();

    // With a password left, unlinking is allowed, and the owner is told.
    await page.goto("/settings");
    await ssoCard(page)
      .getByRole("button", { name: `Unlink ${IDP_NAME}` })
      .click();
    await expect.poll(() => ssoCard(page).getByRole("status").textContent()).toContain("is unlinked");
    await mailbox.waitFor((mail) => mail.to === email && mail.subject.startsWith("Single sign-on was unlinked"));
  });

  test("a cancelled sign-in, an answer from another issuer and a replayed callback end on /signin with a message, nobody signed in", async () => {
    const page = await newPage();
    await page.goto("/signin");
    await page.getByRole("button", { name: SSO_BUTTON, exact: true }).click();
    await page.waitForURL((url) => url.origin === idp.issuer);
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.waitForURL((url) => url.pathname === "/signin");
    await page.getByText(`Signing in with ${IDP_NAME} was cancelled. Nobody was signed in.`).waitFor();
    expect(await cookieNames(page)).not.toContain("tv_rt");

    // A provider answer that fails a check: the redirect claims another issuer (RFC 9207 mix-up).
    // The browser starts the flow (its binding cookie is set); the provider's login is played here
    // so that the answer can be altered before the browser hands it in.
    const tampered = await newPage();
    await tampered.goto("/signin");
    const [authorization] = await Promise.all([
      tampered.waitForRequest((request) => {
        const url = new URL(request.url());
        return url.origin === idp.issuer && url.pathname === "/auth";
      }),
      tampered.getByRole("button", { name: SSO_BUTTON, exact: true }).click(),
    ]);
    const answer = new URL(await loginAt(authorization.url(), providerPerson(), web("/auth/oidc/callback")));
    expect(answer.searchParams.get("iss")).toBe(idp.issuer);
    answer.searchParams.set("iss", "http://127.0.0.1:9/another-issuer");
    await tampered.goto(answer.toString());
    await tampered.waitForURL((url) => url.pathname === "/signin");
    await tampered
      .getByText(`Signing in with ${IDP_NAME} did not work: the answer from ${IDP_NAME} could not be verified.`)
      .waitFor();
    expect(await cookieNames(tampered)).not.toContain("tv_rt");

    // The first test's callback, replayed from another browser: its state is spent (and bound elsewhere).
    expect(spentCallbackUrl).not.toBe("");
    const replay = await newPage();
    await replay.goto(spentCallbackUrl);
    await replay.waitForURL((url) => url.pathname === "/signin");
    await replay.getByText(`That sign-in with ${IDP_NAME} has expired, was already used`).waitFor();
    expect(await cookieNames(replay)).not.toContain("tv_rt");
    await replay.goto("/");
    await replay.waitForURL((url) => url.pathname === "/signin");
  });
});
