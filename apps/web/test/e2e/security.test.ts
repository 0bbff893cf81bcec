import { describe, expect, test } from "vitest";
import { addTodo, eventually, hasStack, signUp, stack, useBrowser, webUrl } from "./browser.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.skipIf(!hasStack)("the browser never holds a token", () => {
  const chromium = useBrowser();

  test("auth cookies are HttpOnly and SameSite=Lax, and no token is readable from page JavaScript or HTML", async () => {
    const { context, page } = await signUp(chromium.browser, "tokens");
    await addTodo(page, "Secret errand");
    const cookies = await context.cookies();
    const auth = cookies.filter((cookie) => cookie.name === "tv_at" || cookie.name === "tv_rt");
    expect(auth.map((cookie) => cookie.name).sort()).toEqual(["tv_at", "tv_rt"]);
    for (const cookie of auth) {
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite).toBe("Lax");
      expect(cookie.path).toBe("/");
    }
    const tokens = auth.map((cookie) => cookie.value);

    const visible = await page.evaluate(() => ({
      cookie: document.cookie,
      local: JSON.stringify({ ...localStorage }),
      session: JSON.stringify({ ...sessionStorage }),
      html: document.documentElement.outerHTML,
    }));
    for (const token of tokens) {
      for (const [where, text] of Object.entries(visible)) {
        expect(text.includes(token), `token found in ${where}`).toBe(false);
      }
    }
    // The server-rendered HTML and the BFF's answers do not carry them either.
    const html = await (await context.request.get("/")).text();
    const signIn = await page.evaluate(async () => (await fetch("/api/me")).text());
    for (const token of tokens) {
      expect(html.includes(token)).toBe(false);
      expect(signIn.includes(token)).toBe(false);
    }
    await context.close();
  });

  test("a cross-origin POST gets 403 even with the user's cookies", async () => {
    const { context } = await signUp(chromium.browser, "csrf");
    const cookieHeader = (await context.cookies()).map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
    const forged = await fetch(webUrl("/api/todos"), {
      method: "POST",
      headers: { cookie: cookieHeader, origin: "http://evil.example", "content-type": "application/json" },
      body: JSON.stringify({ title: "forged" }),
    });
    expect(forged.status).toBe(403);
    const crossSite = await fetch(webUrl("/api/auth/signout"), {
      method: "POST",
      headers: { cookie: cookieHeader, "sec-fetch-site": "cross-site" },
    });
    expect(crossSite.status).toBe(403);
    const listed = await context.request.get("/api/todos");
    expect((await listed.json()).items).toEqual([]);
    await context.close();
  });

  test("pages carry a nonce-based CSP that forbids framing, plus nosniff and a referrer policy", async () => {
    const response = await fetch(webUrl("/signin"));
    const csp = response.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBeTruthy();
    const html = await response.text();
    expect(html).toContain(`nonce="${nonce}"`);
  });
});

describe.skipIf(!hasStack)("token refresh", () => {
  const chromium = useBrowser();

  test("an access token that expires mid-session is refreshed without the user noticing", async () => {
    const { context, page } = await signUp(chromium.browser, "refresh");
    await addTodo(page, "Before expiry");
    const before = (await context.cookies()).find((cookie) => cookie.name === "tv_rt")?.value;
    await sleep(((stack?.accessTtl ?? 8) + 1) * 1000);
    await addTodo(page, "After expiry");
    await page.getByRole("checkbox", { name: "After expiry" }).check();
    await page.reload();
    expect(page.url()).toBe(webUrl("/"));
    await page.getByRole("checkbox", { name: "Before expiry" }).waitFor();
    expect(await page.getByRole("checkbox", { name: "After expiry" }).isChecked()).toBe(true);
    const after = (await context.cookies()).find((cookie) => cookie.name === "tv_rt")?.value;
    expect(after).toBeTruthy();
    expect(after).not.toBe(before);
    await context.close();
  });

  test("many requests arriving together with an expired access token refresh the session once", async () => {
    const { context } = await signUp(chromium.browser, "single-flight");
    const refresh = (await context.cookies()).find((cookie) => cookie.name === "tv_rt")?.value;
    // Only the refresh cookie: as if the access cookie had just expired.
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => fetch(webUrl("/api/todos"), { headers: { cookie: `tv_rt=${refresh}` } })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(12).fill(200));
    const rotated = new Set(
      responses.map(
        (response) =>
          response.headers
            .getSetCookie()
            .find((cookie) => cookie.startsWith("tv_rt="))
            ?.split(";")[0],
      ),
    );
    // Every request got the same rotated refresh token: one refresh, shared.
    expect(rotated.size).toBe(1);
    const [newRefresh] = [...rotated];

    // Past the API's reuse grace, the session must still be alive (a second spend would revoke it).
    await sleep(11_000);
    const later = await fetch(webUrl("/api/todos"), { headers: { cookie: `${newRefresh}` } });
    expect(later.status).toBe(200);
    await context.close();
  });

  test("when refresh fails the user lands on sign-in with a message, not in a loop", async () => {
    // A browser whose only cookie is a refresh token the API refuses (its access cookie expired):
    // a fresh context, so no page of an earlier sign-in (its live stream, its polls) is still
    // talking to the server with other cookies while this one navigates.
    const context = await chromium.browser.newContext({ baseURL: webUrl() });
    await context.addCookies([{ name: "tv_rt", value: "tvr_not-a-real-token", url: webUrl("/") }]);
    const page = await context.newPage();
    await page.goto("/settings");
    await eventually(async () => page.url().startsWith(webUrl("/signin")));
    expect(page.url()).toContain("reason=expired");
    await page.getByText("Your session has ended").waitFor();
    await context.close();
  });
});
