import { describe, expect, test } from "vitest";
import { hasStack, uniqueEmail } from "./browser.ts";
import { startStack } from "./stack.ts";

// `npm start` on a fresh data directory: the web port answers seconds before the API can serve.
describe.skipIf(!hasStack)("the web server starting before the API", () => {
  test("holds a sign-up made while the API starts, and reports not ready until the API is", async () => {
    const stack = await startStack({ accessTtl: 600, apiDelayMs: 3_000 });
    try {
      expect((await fetch(`${stack.webUrl}/healthz`)).status).toBe(200);
      const early = await fetch(`${stack.webUrl}/readyz`);
      expect(early.status).toBe(503);
      expect(await early.json()).toEqual({ status: "waiting for the API" });

      const signUp = await fetch(`${stack.webUrl}/api/auth/signup`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: uniqueEmail("early"), password: "correct horse battery staple" }),
      });
      expect(signUp.status).toBe(201);
      expect((await fetch(`${stack.webUrl}/readyz`)).status).toBe(200);
    } finally {
      await stack.stop();
    }
  }, 120_000);
});
