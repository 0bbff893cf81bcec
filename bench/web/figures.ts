// Figures for the web app (benchmarks, not timed tests), against the real API and production build:
// - server render of `/` for a user with 100 todos (p50/p95 over 100 sequential requests),
// - client JavaScript of `/` (every script the browser loads, gzip -9),
// - BFF `GET /api/todos` latency at a fixed arrival rate of 200 requests/s (p50/p99; the bench's
//   open-loop generator, bench/load.mjs, since autocannon's rate limit sends in bursts).
// Run: npm run bench:web
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { buildIfNeeded, startStack } from "../../apps/web/test/e2e/stack.ts";
import { loadAtRate } from "../load.mjs";

const TODOS = 100;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

buildIfNeeded();
const stack = await startStack({ accessTtl: 600, apiEnv: { LOG_LEVEL: process.env.LOG_LEVEL ?? "info" } });
try {
  const origin = stack.webUrl;
  const signup = await fetch(`${origin}/api/auth/signup`, {
    method: "POST",
    headers: { "content-type": "application/json", origin },
    body: JSON.stringify({ email: `bench-${Date.now()}@example.com`, password: "correct horse battery staple" }),
  });
  if (signup.status !== 201) throw new Error(`sign-up failed: ${signup.status}`);
  const cookie = signup.headers
    .getSetCookie()
    .map((header) => header.split(";")[0])
    .join("; ");
  for (let index = 0; index < TODOS; index++) {
    const created = await fetch(`${origin}/api/todos`, {
      method: "POST",
      headers: { "content-type": "application/json", origin, cookie },
      body: JSON.stringify({
        title: `Benchmark todo number ${index + 1}`,
        priority: ["none", "low", "medium", "high"][index % 4],
        tags: index % 3 === 0 ? ["bench", "home"] : [],
        dueAt: index % 5 === 0 ? new Date(Date.now() + (index - 50) * 86_400_000).toISOString() : null,
      }),
    });
    if (created.status !== 201) throw new Error(`seeding failed: ${created.status} ${await created.text()}`);
  }

  // 1. Server render of `/`.
  const renders: number[] = [];
  for (let round = 0; round < 120; round++) {
    const started = performance.now();
    const response = await fetch(`${origin}/`, { headers: { cookie } });
    const html = await response.text();
    if (response.status !== 200 || !html.includes("Benchmark todo number 100")) throw new Error("render failed");
    if (round >= 20) renders.push(performance.now() - started);
  }

  // 2. Client JavaScript of `/`, as the browser downloads it.
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  const context = await browser.newContext();
  await context.addCookies(
    cookie.split("; ").map((pair) => {
      const [name, ...value] = pair.split("=");
      return { name: name ?? "", value: value.join("="), url: origin };
    }),
  );
  const page = await context.newPage();
  const scripts = new Map<string, Buffer>();
  page.on("response", async (response) => {
    if (response.request().resourceType() === "script") scripts.set(response.url(), await response.body());
  });
  await page.goto(`${origin}/`, { waitUntil: "networkidle" });
  await browser.close();
  const raw = [...scripts.values()].reduce((sum, body) => sum + body.length, 0);
  const gzip = [...scripts.values()].reduce((sum, body) => sum + gzipSync(body, { level: 9 }).length, 0);

  // 3. BFF list latency at 200 requests/s.
  const loadOptions = {
    url: origin,
    requests: [{ method: "GET", path: "/api/todos?limit=50", headers: { cookie } }],
    rate: 200,
  };
  await loadAtRate({ ...loadOptions, duration: 3 }); // warm-up, not recorded
  const load = await loadAtRate({ ...loadOptions, duration: 20 });

  const rows = [
    ["server render of / with 100 todos, p50", `${percentile(renders, 50).toFixed(1)} ms`, "≤ 150 ms"],
    ["server render of / with 100 todos, p95", `${percentile(renders, 95).toFixed(1)} ms`, ""],
    [
      `client JavaScript for / (${scripts.size} files)`,
      `${(gzip / 1024).toFixed(1)} kB gzip (${(raw / 1024).toFixed(0)} kB raw)`,
      "≤ 150 kB gzip",
    ],
    ["BFF GET /api/todos at 200 req/s, p50", `${load.p50.toFixed(1)} ms`, ""],
    ["BFF GET /api/todos at 200 req/s, p99", `${load.p99.toFixed(1)} ms`, "≤ 15 ms"],
    ["BFF requests answered / failed", `${load.ok} / ${load.failed}`, ""],
  ];
  console.log("\n| figure | measured | target |\n|---|---|---|");
  for (const row of rows) console.log(`| ${row.join(" | ")} |`);
} finally {
  await stack.stop();
}
