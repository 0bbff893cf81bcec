import { type Browser, type BrowserContext, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, beforeAll, expect, inject } from "vitest";

/** Shared fixtures: one Debian Chromium per test file, fresh contexts per user. */
export const stack = inject("e2e");
export const hasStack = stack !== null;

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function useBrowser() {
  const state: { browser: Browser | null } = { browser: null };
  beforeAll(async () => {
    if (!stack) return;
    state.browser = await chromium.launch({ executablePath: stack.chromiumPath, args: CHROMIUM_ARGS, headless: true });
  });
  afterAll(async () => {
    await state.browser?.close();
  });
  return {
    get browser(): Browser {
      if (!state.browser) throw new Error("browser not started");
      return state.browser;
    },
  };
}

export function webUrl(path = "/"): string {
  if (!stack) throw new Error("no e2e stack");
  return new URL(path, stack.webUrl).toString();
}

let counter = 0;
export function uniqueEmail(label = "user"): string {
  counter++;
  return `${label}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

export const PASSWORD = "correct horse battery staple";

export type SignedIn = { context: BrowserContext; page: Page; email: string };

/**
 * A new person signs up through the real form and lands on their todos. `timezoneId` puts their
 * browser in another zone than the machine's (sign-up saves it in the profile).
 */
export async function signUp(
  browser: Browser,
  label = "user",
  { timezoneId }: { timezoneId?: string } = {},
): Promise<SignedIn> {
  const context = await browser.newContext({ baseURL: webUrl(), ...(timezoneId && { timezoneId }) });
  const page = await context.newPage();
  const email = uniqueEmail(label);
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Test Person");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(webUrl("/"));
  await page.getByLabel("New todo").waitFor();
  return { context, page, email };
}

export async function addTodo(page: Page, title: string) {
  const input = page.getByLabel("New todo");
  await input.fill(title);
  await input.press("Enter");
  // Created for real once its checkbox is enabled (optimistic items are disabled until the API answers).
  await eventually(() => page.getByRole("checkbox", { name: title, exact: true }).isEnabled());
}

export function todoItem(page: Page, title: string) {
  return page.getByRole("listitem").filter({ has: page.getByRole("checkbox", { name: title, exact: true }) });
}

/** Retries a check until it holds, like Playwright's web-first assertions. */
export async function eventually(check: () => Promise<boolean>, timeout = 10_000) {
  await expect.poll(() => check().catch(() => false), { timeout, interval: 100 }).toBe(true);
}

export async function countOf(locator: Locator): Promise<number> {
  return locator.count();
}

/** A second device (its own cookies) signs in as an existing user and lands on their todos. */
export async function signInAs(browser: Browser, email: string): Promise<SignedIn> {
  const context = await browser.newContext({ baseURL: webUrl() });
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(webUrl("/"));
  await page.getByLabel("New todo").waitFor();
  return { context, page, email };
}
