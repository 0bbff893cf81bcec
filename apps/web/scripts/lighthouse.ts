// Lighthouse (npm lighthouse@12.2.3 with Debian's Chromium) performance and accessibility scores
// for /signin and / (signed in, a few todos), mobile (Lighthouse's default, simulated slow 4G and
// 4x CPU slowdown) and desktop presets. Run: npx tsx apps/web/scripts/lighthouse.ts
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import { buildIfNeeded, startStack } from "../test/e2e/stack.ts";

buildIfNeeded();
const stack = await startStack({ accessTtl: 600 });
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const origin = stack.webUrl;
  const signup = await fetch(`${origin}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ email: `lighthouse-${Date.now()}@example.com`, password: "correct horse battery staple" }),
  });
  const cookie = signup.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .join("; ");
  for (const title of ["Renew passport", "Buy oat milk", "Book dentist appointment", "Water the plants"]) {
    await fetch(`${origin}/api/todos`, {
      method: "POST",
      headers: { "content-type": "application/json", origin, cookie },
      body: JSON.stringify({ title }),
    });
  }
  console.log("\n| page | preset | performance | accessibility | FCP / LCP / TBT / CLS / SI |\n|---|---|---|---|---|");
  for (const [path, headers] of [
    ["/signin", {}],
    ["/", { Cookie: cookie }],
  ] as const) {
    for (const preset of ["mobile", "desktop"] as const) {
      const result = await lighthouse(
        `${origin}${path}`,
        {
          port: chrome.port,
          output: "json",
          logLevel: "error",
          onlyCategories: ["performance", "accessibility"],
          extraHeaders: headers,
        },
        preset === "desktop" ? desktopConfig : undefined,
      );
      const categories = result?.lhr.categories;
      const score = (name: "performance" | "accessibility") => Math.round((categories?.[name]?.score ?? 0) * 100);
      const metric = (id: string) => result?.lhr.audits[id]?.displayValue ?? "?";
      const metrics = [
        "first-contentful-paint",
        "largest-contentful-paint",
        "total-blocking-time",
        "cumulative-layout-shift",
        "speed-index",
      ]
        .map(metric)
        .join(" / ");
      console.log(`| ${path} | ${preset} | ${score("performance")} | ${score("accessibility")} | ${metrics} |`);
      // A failed measurement (no paint, a crashed tab) scores 0: say why instead of a silent 0.
      const failure = result?.lhr.runtimeError;
      if (failure) console.log(`  - Lighthouse could not measure: ${failure.code}: ${failure.message}`);
      if (score("accessibility") < 100) {
        for (const audit of Object.values(result?.lhr.audits ?? {})) {
          if (audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === "binary")
            console.log(`  - ${audit.id}: ${audit.title}`);
        }
      }
    }
  }
} finally {
  chrome.kill();
  await stack.stop();
}
