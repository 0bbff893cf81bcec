import { existsSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { buildIfNeeded, type Stack, startStack } from "./stack.ts";

/**
 * Starts the real API (embedded database in a temp DATA_DIR, short access-token lifetime so
 * refresh happens during the run) and the built web app, once for all test files.
 * Without Chromium the browser tests are skipped loudly — except in CI, where that is a failure.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const ACCESS_TTL_SECONDS = 8;

declare module "vitest" {
  export interface ProvidedContext {
    e2e: { webUrl: string; publicUrl: string; apiUrl: string; accessTtl: number; chromiumPath: string } | null;
  }
}

let stack: Stack | null = null;

export default async function setup(project: TestProject) {
  if (!existsSync(CHROMIUM_PATH)) {
    const message = `No Chromium at ${CHROMIUM_PATH}. Install Debian's: apt-get install -y chromium (or set CHROMIUM_PATH).`;
    if (process.env.CI === "true") throw new Error(`[e2e] ${message} CI needs the browser tests.`);
    console.warn(`\n${"!".repeat(78)}\n!! SKIPPED: end-to-end browser tests. ${message}\n${"!".repeat(78)}\n`);
    project.provide("e2e", null);
    return;
  }
  buildIfNeeded();
  // localhost: the passkey tests need a domain as the RP ID (second-factors.test.ts).
  stack = await startStack({ accessTtl: ACCESS_TTL_SECONDS, publicHost: "localhost" });
  project.provide("e2e", {
    webUrl: stack.webUrl,
    publicUrl: stack.publicUrl,
    apiUrl: stack.apiUrl,
    accessTtl: stack.accessTtl,
    chromiumPath: CHROMIUM_PATH,
  });
  return async () => {
    await stack?.stop();
  };
}
