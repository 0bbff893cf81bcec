import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.ts";

describe("security headers", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  it("sends helmet's headers on answers and on errors alike", async () => {
    for (const url of ["/healthz", "/api/v1/me", "/no-such-route"]) {
      const response = await t.app.inject({ method: "GET", url });
      expect(response.headers["x-content-type-options"]).toBe("nosniff");
      expect(response.headers["x-frame-options"]).toBe("SAMEORIGIN");
      expect(response.headers["content-security-policy"]).toContain("default-src 'self'");
      expect(response.headers["strict-transport-security"]).toContain("max-age=");
      expect(response.headers["referrer-policy"]).toBe("no-referrer");
      expect(response.headers["x-powered-by"]).toBeUndefined();
    }
  });

  it("gives slow clients a bounded time to send their headers", () => {
    expect(t.app.server.headersTimeout).toBeGreaterThan(0);
    expect(t.app.server.headersTimeout).toBeLessThanOrEqual(t.app.server.requestTimeout);
  });
});

describe("load shedding", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ API_MAX_EVENT_LOOP_DELAY: "1" });
  });
  afterAll(() => t?.close());

  it("answers 503 with Retry-After while the event loop lags, but keeps /healthz alive", async () => {
    // Block the loop repeatedly so the sampled mean delay is far beyond 1 ms.
    const deadline = Date.now() + 4_000;
    let shed: Awaited<ReturnType<typeof t.app.inject>> | undefined;
    while (!shed && Date.now() < deadline) {
      const busyUntil = Date.now() + 60;
      while (Date.now() < busyUntil) {
        // spin
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
      const response = await t.app.inject({ method: "GET", url: "/readyz" });
      if (response.statusCode === 503) shed = response;
    }
    expect(shed?.statusCode).toBe(503);
    expect(shed?.headers["retry-after"]).toBe("5");
    expect(shed?.headers["content-type"]).toContain("application/problem+json");
    expect(shed?.json()).toMatchObject({ status: 503, code: "service_unavailable" });
    expect((await t.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  });
});
