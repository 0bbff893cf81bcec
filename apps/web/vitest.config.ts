import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = fileURLToPath(new URL("./src/", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: src },
      // `server-only` throws outside Next's server bundles; in Node tests the module is server-side anyway.
      { find: /^server-only$/, replacement: fileURLToPath(new URL("./test/support/server-only.ts", import.meta.url)) },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Builds (if needed) and starts the real API and web app once for every end-to-end test.
    globalSetup: ["test/e2e/global-setup.ts"],
    // One Chromium and one pair of servers on a 2-core machine: files run one after another.
    fileParallelism: false,
    testTimeout: 60_000,
    // A real browser, the web server, the API and this runner share two cores: a test that fails
    // once is run once more (vitest reports the retry), so one timing stall does not sink a whole
    // CI run. A failure that repeats still fails.
    retry: 1,
    hookTimeout: 900_000,
    teardownTimeout: 30_000,
  },
});
