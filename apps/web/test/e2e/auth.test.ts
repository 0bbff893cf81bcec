import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { addTodo, eventually, hasStack, PASSWORD, signUp, stack, uniqueEmail, useBrowser, webUrl } from "./browser.ts";

/**
 * An open page of an ended session goes to sign-in by itself (the live stream says
 * `session.revoked`); a page that missed it gets there on its next load.
 */
async function expectSignedOut(page: Page) {
  try {
    await page.waitForURL(/\/signin/, { timeout: 5000 });
  } catch {
    await page.reload();
    await page.waitForURL(/\/signin/);
  }
}

describe.skipIf(!hasStack)("signing in and out", () => {
  const chromium = useBrowser();

  test("a signed-out visitor is sent to sign-in, and back after signing in", async () => {
    const { context: owner, email } = await signUp(chromium.browser, "next");
    await owner.close();
    const context = await chromium.browser.newContext({ baseURL: webUrl() });
    const page = await context.newPage();
    await page.goto("/settings");
    expect(page.url()).toBe(webUrl("/signin?next=%2Fsettings"));
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(webUrl("/settings"));
    await context.close();
  });

  test("a signed-out visitor of / is redirected on the server before anything renders", async () => {
    const response = await fetch(webUrl("/"), { redirect: "manual" });
    expect([302, 303, 307]).toContain(response.status);
    const location = new URL(response.headers.get("location") ?? "", webUrl());
    expect(`${location.pathname}${location.search}`).toBe("/signin?next=%2F");
    expect(await response.text()).not.toContain("New todo");
  });

  test("a next parameter pointing to another site is ignored", async () => {
    const { context: owner, email } = await signUp(chromium.browser, "open-redirect");
    await owner.close();
    const context = await chromium.browser.newContext({ baseURL: webUrl() });
    const page = await context.newPage();
    await page.goto("/signin?next=%2F%2Fevil.example%2F");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(webUrl("/"));
    await context.close();
  });

  test("a wrong password is announced and the form stays usable", async () => {
    const { context: owner, email } = await signUp(chromium.browser, "wrong");
    await owner.close();
    const context = await chromium.browser.newContext({ baseURL: webUrl() });
    const page = await context.newPage();
    await page.goto("/signin");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill("not the password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "do not match" }).waitFor();
    expect(await page.getByRole("button", { name: "Sign in", exact: true }).isEnabled()).toBe(true);
    expect(page.url()).toBe(webUrl("/signin"));
    await context.close();
  });

  test("sign-up shows the API's field errors inline", async () => {
    const context = await chromium.browser.newContext({ baseURL: webUrl() });
    const page = await context.newPage();
    await page.goto("/signup");
    await page.getByLabel("Email").fill("not-an-email");
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.getByText("Please fix the highlighted fields.").waitFor();
    expect(await page.getByLabel("Email").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByLabel("Password", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    await context.close();
  });

  test("a signed-in visitor of /signin goes to the todos", async () => {
    const { context, page } = await signUp(chromium.browser, "away");
    await page.goto("/signin");
    expect(page.url()).toBe(webUrl("/"));
    await context.close();
  });

  test("two tabs stay signed in across reloads", async () => {
    const { context, page } = await signUp(chromium.browser, "tabs");
    await addTodo(page, "Shared between tabs");
    const second = await context.newPage();
    await second.goto("/");
    await second.getByRole("checkbox", { name: "Shared between tabs" }).waitFor();
    await Promise.all([page.reload(), second.reload()]);
    await page.getByRole("checkbox", { name: "Shared between tabs" }).waitFor();
    await second.getByRole("checkbox", { name: "Shared between tabs" }).waitFor();
    await context.close();
  });

  test("after signing out the old cookies no longer work", async () => {
    const { context, page } = await signUp(chromium.browser, "signout");
    const oldCookies = await context.cookies();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/signin/);
    expect((await context.cookies()).filter((cookie) => cookie.name.startsWith("tv_"))).toEqual([]);

    // Someone who kept a copy of the cookies cannot use them.
    const thief = await chromium.browser.newContext({ baseURL: webUrl() });
    await thief.addCookies(oldCookies);
    const response = await thief.request.get("/api/todos");
    expect(response.status()).toBe(401);
    const stolenPage = await thief.newPage();
    await stolenPage.goto("/");
    expect(stolenPage.url()).toMatch(/\/signin/);
    await thief.close();
    await context.close();
  });

  test("a session revoked from /settings is signed out on its device", async () => {
    const laptop = await signUp(chromium.browser, "revoke");
    const phone = await chromium.browser.newContext({
      baseURL: webUrl(),
      userAgent: "Mozilla/5.0 (Linux; Android 14) Firefox/130.0",
    });
    const phonePage = await phone.newPage();
    await phonePage.goto("/signin");
    await phonePage.getByLabel("Email").fill(laptop.email);
    await phonePage.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await phonePage.getByRole("button", { name: "Sign in", exact: true }).click();
    await phonePage.waitForURL(webUrl("/"));

    await laptop.page.goto("/settings");
    const sessions = laptop.page.getByRole("list", { name: "Sessions" }).getByRole("listitem");
    await sessions.filter({ hasText: "This device" }).waitFor();
    await eventually(async () => (await sessions.count()) === 2);
    await laptop.page.getByRole("button", { name: "Revoke Firefox on Android" }).click();
    await laptop.page.getByText("Signed out Firefox on Android").waitFor();
    await eventually(async () => (await sessions.count()) === 1);

    await expectSignedOut(phonePage);
    await laptop.context.close();
    await phone.close();
  });

  test("Sign out everywhere ends every session", async () => {
    const { context, page, email } = await signUp(chromium.browser, "everywhere");
    const other = await chromium.browser.newContext({ baseURL: webUrl() });
    const otherPage = await other.newPage();
    await otherPage.goto("/signin");
    await otherPage.getByLabel("Email").fill(email);
    await otherPage.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await otherPage.getByRole("button", { name: "Sign in", exact: true }).click();
    await otherPage.waitForURL(webUrl("/"));

    await page.goto("/settings");
    await page.getByRole("button", { name: "Sign out everywhere" }).click();
    await page.waitForURL(/\/signin/);
    await expectSignedOut(otherPage);
    await context.close();
    await other.close();
  });

  test("a wrong password does not delete the account or end the session", async () => {
    const { context, page } = await signUp(chromium.browser, "keep");
    const before = (await context.cookies()).find((cookie) => cookie.name === "tv_rt")?.value;
    await page.goto("/settings");
    await page.getByLabel("Confirm with your password").fill("certainly not it");
    await page.getByRole("button", { name: "Delete account" }).click();
    await page.getByText("That password is not right.").waitFor();
    expect(page.url()).toBe(webUrl("/settings"));
    await page.goto("/");
    await page.getByLabel("New todo").waitFor();
    expect((await context.cookies()).find((cookie) => cookie.name === "tv_rt")?.value).toBeTruthy();
    expect(before).toBeTruthy();
    await context.close();
  });

  test("the account can be deleted with its password", async () => {
    const { context, page, email } = await signUp(chromium.browser, "delete");
    await page.goto("/settings");
    await page.getByLabel("Confirm with your password").fill(PASSWORD);
    await page.getByRole("button", { name: "Delete account" }).click();
    await page.waitForURL(/\/signin\?reason=deleted/);
    const response = await fetch(`${stack?.apiUrl}/api/v1/auth/signin`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    expect(response.status).toBe(401);
    await context.close();
  });

  test("the name can be changed in /settings and shows in the header", async () => {
    const { context, page } = await signUp(chromium.browser, "rename");
    await page.goto("/settings");
    await page.getByLabel("Name").fill("Grace Hopper");
    await page.getByRole("button", { name: "Save name" }).click();
    await page.getByText("Name saved.").waitFor();
    await page.getByRole("banner").getByText("Grace Hopper").waitFor();
    await context.close();
  });

  test("changing the password keeps this device signed in and the new password works", async () => {
    const { context, page, email } = await signUp(chromium.browser, "password");
    await page.goto("/settings");
    await page.getByLabel("Current password").fill(PASSWORD);
    await page.getByLabel("New password").fill("an even better passphrase");
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByText("Password changed.").waitFor();
    await page.goto("/");
    await page.getByLabel("New todo").waitFor();
    const response = await fetch(`${stack?.apiUrl}/api/v1/auth/signin`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, password: "an even better passphrase" }),
    });
    expect(response.status).toBe(200);
    await context.close();
  });

  test("over HTTPS (behind a TLS proxy) the cookies are Secure and __Host- prefixed", async () => {
    const response = await fetch(webUrl("/api/auth/signup"), {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-proto": "https" },
      body: JSON.stringify({ email: uniqueEmail("https"), password: PASSWORD }),
    });
    expect(response.status).toBe(201);
    const cookies = response.headers.getSetCookie();
    expect(cookies.map((cookie) => cookie.split("=")[0]).sort()).toEqual(["__Host-tv_at", "__Host-tv_rt"]);
    for (const cookie of cookies) expect(cookie).toMatch(/; Secure/i);
    expect(JSON.stringify(await response.json())).not.toMatch(/accessToken|refreshToken/);
  });
});
