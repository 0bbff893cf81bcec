// Live-update delay (a figure, not a timed test): how long a change written in one browser tab
// takes to appear in another tab of the same user on another "device" (its own cookies and
// stream), over 100 changes, against the real API and the production web build.
// The write's start and the arrival (a MutationObserver in the other tab) are read from the same
// browser's clock, so the figure is end to end: BFF → API → change log → stream → BFF relay → DOM.
// Run: npm run bench:web-live
import { chromium } from "playwright-core";
import { buildIfNeeded, startStack } from "../../apps/web/test/e2e/stack.ts";

const CHANGES = 100;
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

buildIfNeeded();
const stack = await startStack({ accessTtl: 900 });
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"],
});
try {
  const email = `live-${Date.now()}@example.com`;
  const password = "correct horse battery staple";
  const open = async (signUp: boolean) => {
    const context = await browser.newContext({ baseURL: stack.webUrl });
    const page = await context.newPage();
    await page.goto(signUp ? "/signup" : "/signin");
    if (signUp) await page.getByLabel("Name").fill("Live Figure");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByRole("button", { name: signUp ? "Create account" : "Sign in" }).click();
    await page.waitForURL(`${stack.webUrl}/`);
    await page.locator('[data-live-status="live"]').waitFor({ timeout: 15_000 });
    return page;
  };
  const writer = await open(true);
  const reader = await open(false);
  await reader.evaluate(() => {
    const seen = new Map<string, number>();
    (window as unknown as { __seen: Map<string, number> }).__seen = seen;
    new MutationObserver(() => {
      for (const box of document.querySelectorAll<HTMLInputElement>('input[type="checkbox"][aria-labelledby]')) {
        const title = document.getElementById(box.getAttribute("aria-labelledby") ?? "")?.textContent?.trim() ?? "";
        if (title.startsWith("Live ") && !seen.has(title)) seen.set(title, Date.now());
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true });
  });

  const delays: number[] = [];
  for (let index = 0; index < CHANGES; index++) {
    const title = `Live ${index + 1}`;
    const startedAt = await writer.evaluate(async (text) => {
      const started = Date.now();
      const response = await fetch("/api/todos", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ title: text }),
      });
      if (response.status !== 201) throw new Error(`create answered ${response.status}`);
      return started;
    }, title);
    const arrivedAt = await reader.waitForFunction(
      (text) => (window as unknown as { __seen: Map<string, number> }).__seen.get(text) ?? false,
      title,
      { timeout: 10_000, polling: 20 },
    );
    delays.push(((await arrivedAt.jsonValue()) as number) - startedAt);
  }
  const median = percentile(delays, 50);
  const p95 = percentile(delays, 95);
  const worst = Math.max(...delays);
  console.log(`live update delay over ${CHANGES} changes: median ${median} ms, p95 ${p95} ms, worst ${worst} ms`);
} finally {
  await browser.close();
  await stack.stop();
}
