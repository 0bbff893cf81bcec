// Takes the README's screenshots of the todos page (light and dark, desktop and phone) against
// the real API and web app. Run: npx tsx apps/web/scripts/capture-screenshots.ts
import { join } from "node:path";
import { chromium } from "playwright-core";
import { buildIfNeeded, repoRoot, startStack } from "../test/e2e/stack.ts";

const SAMPLE = [
  { title: "Renew passport", priority: "high", dueAt: daysFromNow(-1), tags: ["admin"] },
  { title: "Buy oat milk and coffee beans", priority: "none", tags: ["errands"] },
  { title: "Book dentist appointment", priority: "medium", dueAt: daysFromNow(3) },
  { title: "Read chapter 4 of Designing Data-Intensive Applications", priority: "low", tags: ["reading"] },
  { title: "Water the plants", completed: true },
  { title: "Call grandma", completed: true },
];

function daysFromNow(days: number) {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}

buildIfNeeded();
const stack = await startStack({ accessTtl: 600 });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const context = await browser.newContext({ baseURL: stack.webUrl });
  const page = await context.newPage();
  await page.goto("/signup");
  await page.getByLabel("Name").fill("Ada");
  await page.getByLabel("Email").fill("ada@example.com");
  await page.getByLabel("Password", { exact: true }).fill("correct horse battery staple");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(`${stack.webUrl}/`);
  for (const todo of SAMPLE) {
    const response = await context.request.post("/api/todos", { data: todo, headers: { origin: stack.webUrl } });
    if (!response.ok()) throw new Error(`seeding failed: ${response.status()} ${await response.text()}`);
  }
  const shots = [
    { name: "todos-light", colorScheme: "light", width: 1100, height: 720 },
    { name: "todos-dark", colorScheme: "dark", width: 1100, height: 720 },
    { name: "todos-phone-dark", colorScheme: "dark", width: 360, height: 740 },
    { name: "signin-light", colorScheme: "light", width: 1100, height: 720, path: "/signin", signedOut: true },
    { name: "settings-light", colorScheme: "light", width: 1100, height: 1400, path: "/settings" },
  ] as const;
  for (const shot of shots) {
    const target = "signedOut" in shot ? await browser.newPage() : page;
    await target.emulateMedia({ colorScheme: shot.colorScheme });
    await target.setViewportSize({ width: shot.width, height: shot.height });
    await target.goto(`${stack.webUrl}${"path" in shot ? shot.path : "/"}`);
    await target.waitForLoadState("networkidle");
    await target.screenshot({ path: join(repoRoot, "docs/screenshots", `${shot.name}.png`) });
    if (target !== page) await target.close();
  }
  console.log("Screenshots written to docs/screenshots/");
} finally {
  await browser.close();
  await stack.stop();
}
