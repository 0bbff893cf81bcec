import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ReceivedMail, startMailbox, type TestMailbox } from "../../../api/test/helpers/smtp.ts";
import { eventually, hasStack, PASSWORD, uniqueEmail, useBrowser } from "./browser.ts";
import { type Stack, startStack } from "./stack.ts";

/**
 * Mail and account recovery as a person lives it: a stack of its own whose API sends mail over
 * SMTP to a real SMTP server in this process, and links that point at this web app (PUBLIC_URL).
 */
const NEW_PASSWORD = "a brand new passphrase for the vault";
const ADDRESS_LIMIT = 2;

describe.skipIf(!hasStack)("mail and account recovery in the browser", () => {
  const chromium = useBrowser();
  let mailbox: TestMailbox;
  let mailStack: Stack;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mailbox = await startMailbox();
    mailStack = await startStack({
      accessTtl: 60,
      rateLimit: true,
      apiEnv: {
        SMTP_URL: mailbox.url,
        MAIL_POLL_SECONDS: "0.05",
        MAIL_RETRY_BASE_SECONDS: "0.1",
        AUTH_FORGOT_ADDRESS_LIMIT: String(ADDRESS_LIMIT),
      },
    });
  }, 120_000);
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await mailStack?.stop();
    await mailbox?.close();
  });

  async function newPage(browser: Browser): Promise<Page> {
    const context = await browser.newContext({ baseURL: mailStack.webUrl });
    contexts.push(context);
    return context.newPage();
  }

  async function signUp(label: string): Promise<{ page: Page; email: string }> {
    const page = await newPage(chromium.browser);
    const email = uniqueEmail(label);
    await page.goto("/signup");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${mailStack.webUrl}/`);
    await page.getByLabel("New todo").waitFor();
    return { page, email };
  }

  async function signIn(page: Page, email: string, password: string) {
    await page.goto("/signin");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(`${mailStack.webUrl}/`);
    await page.getByLabel("New todo").waitFor();
  }

  /** The mail's link to `path`, checked to be absolute and to point at this web app. */
  function linkTo(mail: ReceivedMail, path: string): string {
    const link = mail.links.find((candidate) => new URL(candidate).pathname === path);
    if (!link) throw new Error(`No ${path} link in: ${mail.text}`);
    expect(new URL(link).origin).toBe(mailStack.webUrl);
    expect(new URL(link).searchParams.get("token")).toBeTruthy();
    return link;
  }

  const mailTo = (to: string, subject: string) =>
    mailbox.waitFor((mail) => mail.to === to && mail.subject.startsWith(subject));

  test("forgot → mail → reset → sign in with the new password; the old session is signed out", async () => {
    const { page: oldDevice, email } = await signUp("forgot");

    const page = await newPage(chromium.browser);
    await page.goto("/signin");
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.waitForURL(`${mailStack.webUrl}/forgot-password`);
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Send reset link" }).click();
    const status = page.getByRole("status").filter({ hasText: "reset" });
    await expect.poll(() => status.textContent()).toContain(`If an account uses ${email}`);

    const link = linkTo(await mailTo(email, "Reset your password"), "/reset-password");
    await page.goto(link);
    await page.getByLabel("New password").fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.waitForURL(/\/signin\?reason=password-reset$/);
    await expect.poll(() => page.getByText("Sign in with your new password").isVisible()).toBe(true);

    // The device that was signed in before the reset is signed out: its next page goes to sign-in.
    // (Its open event stream may already have ended and sent it there, aborting the reload.)
    await oldDevice.reload().catch(() => undefined);
    await oldDevice.waitForURL(/\/signin/);
    await signIn(page, email, NEW_PASSWORD);

    // The link is spent: using it again says so and offers a new one.
    const again = await newPage(chromium.browser);
    await again.goto(link);
    await again.getByLabel("New password").fill(`${NEW_PASSWORD} again`);
    await again.getByRole("button", { name: "Set new password" }).click();
    await again.getByRole("alert").filter({ hasText: "This reset link has expired or was already used" }).waitFor();
    const askAgain = again.getByRole("link", { name: "Ask for a new link" });
    expect(await askAgain.getAttribute("href")).toBe("/forgot-password");
  });

  test("forgot answers alike for an unknown address, and says when to retry once throttled", async () => {
    const page = await newPage(chromium.browser);
    const unknown = uniqueEmail("nobody");
    await page.goto("/forgot-password");
    await page.getByLabel("Email").fill(unknown);
    const send = page.getByRole("button", { name: "Send reset link" });
    const status = page.getByRole("status").filter({ hasText: "reset" });
    for (let request = 0; request < ADDRESS_LIMIT; request++) {
      await send.click();
      await expect
        .poll(() => status.textContent())
        .toBe(
          `If an account uses ${unknown}, a link to reset its password is on its way. It works for 30 minutes. Check your inbox (and spam folder).`,
        );
      await eventually(() => send.isEnabled());
    }
    await send.click();
    await page
      .getByRole("alert")
      .filter({ hasText: /^Too many reset requests\. Try again in \d+ (minute|hour)s?\.$/ })
      .waitFor();
    expect(mailbox.received.some((mail) => mail.to === unknown)).toBe(false);
  });

  test("opening the sign-up mail's link spends nothing; Confirm email verifies the address", async () => {
    const { page, email } = await signUp("verify");
    const banner = page.getByRole("region", { name: "Confirm your email" });
    await banner.waitFor();
    const link = linkTo(await mailTo(email, "Confirm your email address"), "/verify-email");

    // A mail scanner (or the person) opens the link: the page asks for a click and nothing is spent.
    const scanner = await newPage(chromium.browser);
    await scanner.goto(link);
    await scanner.getByText("Opening this link changes nothing by itself").waitFor();
    await page.reload();
    await banner.waitFor();

    await page.goto(link);
    await page.getByRole("button", { name: "Confirm email" }).click();
    await expect.poll(() => page.getByRole("status").textContent()).toBe(`Your email address ${email} is confirmed.`);
    await page.goto("/");
    await page.getByLabel("New todo").waitFor();
    expect(await banner.count()).toBe(0);
    await page.goto("/settings");
    await page.getByRole("region", { name: "Email" }).getByText("Verified", { exact: true }).waitFor();

    // The scanner's copy of the link is now spent.
    await scanner.getByRole("button", { name: "Confirm email" }).click();
    await scanner
      .getByRole("alert")
      .filter({ hasText: "This confirmation link has expired or was already used" })
      .waitFor();
  });

  test("the banner's Resend sends a fresh link, then says when it may send another", async () => {
    const { page, email } = await signUp("resend");
    await mailTo(email, "Confirm your email address");
    const banner = page.getByRole("region", { name: "Confirm your email" });
    await banner.getByRole("button", { name: "Resend" }).click();
    await expect.poll(() => banner.getByRole("status").textContent()).toBe("Sent. Check your inbox for the new link.");
    await eventually(
      async () =>
        mailbox.received.filter((mail) => mail.to === email && mail.subject.startsWith("Confirm")).length === 2,
    );
    await banner.getByRole("button", { name: "Resend" }).click();
    await expect
      .poll(() => banner.getByRole("status").textContent())
      .toMatch(/^A link was sent moments ago\. Try again in (\d+ seconds?|1 minute)\.$/);
  });

  test("change email: wrong password and a taken address are refused; the new inbox's link moves the account", async () => {
    const { email: takenAddress } = await signUp("taken");
    const { page, email } = await signUp("mover");
    await page.goto("/settings");
    const section = page.getByRole("region", { name: "Email" });
    const status = section.getByRole("status").last();
    const submit = section.getByRole("button", { name: "Change email" });

    await section.getByLabel("New email").fill(uniqueEmail("elsewhere"));
    await section.getByLabel("Password", { exact: true }).fill("not my password");
    await submit.click();
    await expect.poll(() => status.textContent()).toBe("That password is not right.");

    await section.getByLabel("New email").fill(takenAddress);
    await section.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await submit.click();
    await expect.poll(() => status.textContent()).toBe("Another account already uses that address.");

    const newAddress = uniqueEmail("moved");
    await section.getByLabel("New email").fill(newAddress);
    await section.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await submit.click();
    await expect
      .poll(() => status.textContent())
      .toBe(`Check your new inbox: we sent a confirmation link to ${newAddress}. Your email changes when you open it.`);
    await mailTo(email, "Your email address is about to change");
    const link = linkTo(await mailTo(newAddress, "Confirm your new email address"), "/verify-email");
    await page.reload();
    await section.getByText(email, { exact: true }).waitFor();

    await page.goto(link);
    await page.getByRole("button", { name: "Confirm email" }).click();
    await expect
      .poll(() => page.getByRole("status").textContent())
      .toBe(`Your email address ${newAddress} is confirmed.`);
    await page.goto("/settings");
    await section.getByText(newAddress, { exact: true }).waitFor();
    await section.getByText("Verified", { exact: true }).waitFor();
  });

  test("the Email reminders switch is saved in the preferences", async () => {
    const { page } = await signUp("reminders");
    await page.goto("/settings");
    const toggle = page.getByRole("switch", { name: "Email reminders" });
    expect(await toggle.isChecked()).toBe(false);
    await toggle.click();
    await eventually(() => page.getByText("Email reminders on.").isVisible());
    const saved = await page.request.get("/api/me/preferences");
    expect(await saved.json()).toMatchObject({ emailReminders: true });
    await page.reload();
    expect(await page.getByRole("switch", { name: "Email reminders" }).isChecked()).toBe(true);
  });
});

describe.skipIf(!hasStack)("AUTH_SIGNUP=closed in the browser", () => {
  const chromium = useBrowser();
  let closed: Stack;

  beforeAll(async () => {
    closed = await startStack({ accessTtl: 60, apiEnv: { AUTH_SIGNUP: "closed" } });
  }, 120_000);
  afterAll(async () => {
    await closed?.stop();
  });

  test("the web app offers no sign-up", async () => {
    const context = await chromium.browser.newContext({ baseURL: closed.webUrl });
    try {
      const page = await context.newPage();
      await page.goto("/signin");
      await page.getByRole("button", { name: "Sign in", exact: true }).waitFor();
      expect(await page.getByRole("link", { name: "Create an account" }).count()).toBe(0);
      await page.goto("/signup");
      await page.getByRole("heading", { name: "Sign-up is closed" }).waitFor();
      expect(await page.getByRole("button", { name: "Create account" }).count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
