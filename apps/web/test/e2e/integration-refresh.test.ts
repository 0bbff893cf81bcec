import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { hasStack, stack, uniqueEmail } from "./browser.ts";

/**
 * The web server's refresh against the real API, without a browser: the single flight must spend
 * each refresh token exactly once, however many callers ask.
 */
describe.skipIf(!hasStack)("refreshing a session on the web server", () => {
  let refreshSession: typeof import("@/features/auth/refresh.server.ts").refreshSession;
  const previousApiUrl = process.env.API_URL;
  const vitestClient = { userAgent: "vitest", address: null };

  beforeAll(async () => {
    process.env.API_URL = stack?.apiUrl;
    ({ refreshSession } = await import("@/features/auth/refresh.server.ts"));
  });
  afterAll(() => {
    process.env.API_URL = previousApiUrl;
  });

  async function signUpAtApi() {
    const response = await fetch(`${stack?.apiUrl}/api/v1/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: uniqueEmail("flight"), password: "correct horse battery staple" }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { refreshToken: string; accessToken: string };
  }

  test("twenty concurrent refreshes of one session rotate it once and share the result", async () => {
    const session = await signUpAtApi();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => refreshSession(session.refreshToken, vitestClient)),
    );
    const kinds = new Set(results.map((result) => result.kind));
    expect([...kinds]).toEqual(["refreshed"]);
    const tokens = new Set(results.map((result) => (result.kind === "refreshed" ? result.session.refreshToken : null)));
    expect(tokens.size).toBe(1);

    // The rotated token works, so the old one was not spent twice (which would revoke the session).
    const [rotated] = [...tokens] as [string];
    const next = await refreshSession(rotated, vitestClient);
    expect(next.kind).toBe("refreshed");
  });

  test("an unknown refresh token is rejected, not retried forever", async () => {
    expect((await refreshSession("tvr_unknown", vitestClient)).kind).toBe("rejected");
  });
});
