import { randomBytes } from "node:crypto";
import type { Session } from "@taskvault/contract/auth";
import * as OTPAuth from "otpauth";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { loginAt, startOpenIdProvider, type TestOpenIdProvider } from "../../../api/test/helpers/oidc-provider.ts";
import { ACCESS_COOKIE, REFRESH_COOKIE } from "../../server/session-tokens.mjs";
import { addTodo, eventually, hasStack, PASSWORD, signUp, stack, uniqueEmail, useBrowser } from "./browser.ts";
import { freePort, type Stack, startStack } from "./stack.ts";

function callApi(path: string, token: string, init: { method?: string; body?: unknown } = {}, apiUrl = stack?.apiUrl) {
  return fetch(`${apiUrl}${path}`, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

describe.skipIf(!hasStack)("API tokens in /settings", () => {
  const chromium = useBrowser();

  test("a read-only token is created and copied once, reads todos from a script, is refused a write naming the scope, and stops working when revoked", {
    timeout: 90_000,
  }, async () => {
    const { context, page } = await signUp(chromium.browser, "tokens");
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await addTodo(page, "Water the plants");
    await page.goto("/settings");

    await page.getByRole("button", { name: "New token" }).click();
    const form = page.getByRole("form", { name: "Create an API token" });
    await form.getByLabel("Name").fill("read-only script");
    // todos:read is the default; nothing else is ticked.
    expect(await form.getByRole("checkbox", { name: /todos:read/ }).isChecked()).toBe(true);
    for (const scope of ["todos:write", "lists:read", "lists:write"]) {
      expect(await form.getByRole("checkbox", { name: new RegExp(scope) }).isChecked()).toBe(false);
    }
    const expiry = await form.getByLabel("Expires on").inputValue();
    const days = (Date.parse(`${expiry}T12:00:00Z`) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(90);
    await form.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await form.getByRole("button", { name: "Create token" }).click();

    const shown = page.getByRole("region", { name: "New API token" });
    const token = await shown.getByLabel("Token").inputValue();
    expect(token).toMatch(/^tvk_[0-9A-Za-z]{49}$/);
    await shown.getByRole("button", { name: "Copy" }).click();
    await shown.getByRole("button", { name: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

    // The script's side.
    const read = await callApi("/api/v1/todos", token);
    expect(read.status).toBe(200);
    expect(JSON.stringify(await read.json())).toContain("Water the plants");
    const write = await callApi("/api/v1/todos", token, { method: "POST", body: { title: "not allowed" } });
    expect(write.status).toBe(403);
    expect(write.headers.get("www-authenticate")).toContain('error="insufficient_scope", scope="todos:write"');
    expect((await write.json()).code).toBe("insufficient_scope");

    // Shown once: after a reload the list has it, with its scope and last use, and no secret.
    await page.reload();
    const list = page.getByRole("list", { name: "API tokens" });
    const item = list.getByRole("listitem").filter({ hasText: "read-only script" });
    await item.waitFor();
    expect(await item.textContent()).toContain("todos:read");
    await eventually(async () => {
      await page.reload();
      return /Last used/.test((await list.getByRole("listitem").first().textContent()) ?? "");
    });
    expect(await page.content()).not.toContain(token);

    await list.getByRole("button", { name: "Revoke read-only script" }).click();
    await eventually(async () => (await list.count()) === 0 || (await item.count()) === 0);
    expect((await callApi("/api/v1/todos", token)).status).toBe(401);
    await context.close();
  });
});

describe.skipIf(!hasStack)("API tokens for an account without a password (single sign-on)", () => {
  const chromium = useBrowser();
  let idp: TestOpenIdProvider;
  let ssoStack: Stack;

  beforeAll(async () => {
    // The provider registers the redirect URI under PUBLIC_URL, so the web app's port comes first.
    const webPort = await freePort();
    idp = await startOpenIdProvider({ publicUrl: `http://127.0.0.1:${webPort}`, name: "Test IdP" });
    ssoStack = await startStack({ accessTtl: 60, webPort, apiEnv: { ...idp.env, OIDC_NAME: "Test IdP" } });
  }, 300_000);
  afterAll(async () => {
    await ssoStack?.stop();
    await idp?.close();
  });

  const api = (path: string, body: unknown, accessToken?: string) =>
    fetch(`${ssoStack.apiUrl}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
      },
      body: JSON.stringify(body),
    });

  /** A first sign-in with the provider: a new Taskvault account with no password. */
  async function signInWithProvider(): Promise<Session> {
    const username = `sso-${Date.now()}`;
    idp.accounts.set(username, { email: uniqueEmail("sso"), email_verified: true, name: "Sam SSO" });
    const binding = randomBytes(32).toString("base64url");
    const started = await (await api("/api/v1/auth/oidc/start", { binding })).json();
    const callbackUrl = await loginAt(started.authorizationUrl, username, `${ssoStack.publicUrl}/auth/oidc/callback`);
    const finished = await api("/api/v1/auth/oidc/callback", { callbackUrl, binding });
    expect(finished.status).toBe(200);
    return finished.json();
  }

  /**
   * An authenticator app, set up through the API (an account without a password and without a
   * factor confirms with its session alone).
   */
  async function addAuthenticatorApp(session: Session) {
    const enrolment = await (await api("/api/v1/me/mfa/totp", {}, session.accessToken)).json();
    const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(enrolment.secret), digits: 6, period: 30 });
    const confirmed = await api("/api/v1/me/mfa/totp/confirm", { code: totp.generate() }, session.accessToken);
    expect(confirmed.status).toBe(200);
    const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
    return { totp, recoveryCodes };
  }

  /** The browser holds the session the way the web app's own sign-in leaves it: two HttpOnly cookies. */
  async function openSettings(session: Session) {
    const context = await chromium.browser.newContext({ baseURL: ssoStack.webUrl });
    const cookie = (name: string, value: string) => ({
      name,
      value,
      url: ssoStack.webUrl,
      httpOnly: true,
      sameSite: "Lax" as const,
    });
    await context.addCookies([
      cookie(ACCESS_COOKIE, session.accessToken),
      cookie(REFRESH_COOKIE, session.refreshToken),
    ]);
    const page = await context.newPage();
    await page.goto("/settings");
    return { context, page };
  }

  test("creating a token asks for the authentication code, or a recovery code, instead of a password", {
    timeout: 90_000,
  }, async () => {
    const session = await signInWithProvider();
    const { totp, recoveryCodes } = await addAuthenticatorApp(session);
    const { context, page } = await openSettings(session);

    await page.getByRole("button", { name: "New token" }).click();
    const form = page.getByRole("form", { name: "Create an API token" });
    await form.getByLabel("Name").fill("sso script");
    expect(await form.getByLabel("Password", { exact: true }).count()).toBe(0);
    await form.getByLabel("Authentication code").fill("000000");
    await form.getByRole("button", { name: "Create token" }).click();
    await form.getByText("That code is not right or was already used.").waitFor();

    // The next time step's code: the one that confirmed the app is spent.
    await form.getByLabel("Authentication code").fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await form.getByRole("button", { name: "Create token" }).click();
    const shown = page.getByRole("region", { name: "New API token" });
    const token = await shown.getByLabel("Token").inputValue();
    expect(token).toMatch(/^tvk_[0-9A-Za-z]{49}$/);
    expect((await callApi("/api/v1/todos", token, {}, ssoStack.apiUrl)).status).toBe(200);

    await page.getByRole("button", { name: "New token" }).click();
    await form.getByLabel("Name").fill("sso backup");
    await form.getByRole("button", { name: "Use a recovery code" }).click();
    await form.getByLabel("Recovery code").fill(recoveryCodes[0]!);
    await form.getByRole("button", { name: "Create token" }).click();
    const list = page.getByRole("list", { name: "API tokens" });
    await list.getByRole("listitem").filter({ hasText: "sso backup" }).waitFor();
    await context.close();
  });

  test("the account is deleted with an authentication code instead of a password", { timeout: 90_000 }, async () => {
    const session = await signInWithProvider();
    const { totp } = await addAuthenticatorApp(session);
    const { context, page } = await openSettings(session);

    const card = page.getByRole("region", { name: "Delete account" });
    expect(await card.getByLabel("Confirm with your password").count()).toBe(0);
    // The next time step's code: the one that confirmed the app is spent.
    await card.getByLabel("Authentication code").fill(totp.generate({ timestamp: Date.now() + 30_000 }));
    await card.getByRole("button", { name: "Delete account" }).click();
    await page.waitForURL(/\/signin\?reason=deleted/);
    expect((await callApi("/api/v1/me", session.accessToken, {}, ssoStack.apiUrl)).status).toBe(401);
    await context.close();
  });
});
