import { defineConfig } from "vitest/config";

// Every API suite runs on the embedded database, and again on PostgreSQL when TEST_DATABASE_URL
// is set (each test file in a schema of its own, so parallel files never collide).
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
if (!onPostgres) {
  console.warn("\n[taskvault] PostgreSQL suites SKIPPED: TEST_DATABASE_URL is not set (running on PGlite only)\n");
}

const shared = {
  include: ["test/**/*.test.ts"],
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: "pglite", env: { TASKVAULT_TEST_DB: "pglite" } } },
      ...(onPostgres ? [{ test: { ...shared, name: "postgres", env: { TASKVAULT_TEST_DB: "postgres" } } }] : []),
    ],
  },
});
