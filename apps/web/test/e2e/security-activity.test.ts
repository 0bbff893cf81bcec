import { describe, expect, test } from "vitest";
import { hasStack, signInAs, signUp, stack, useBrowser } from "./browser.ts";

const REUSE_MESSAGE = "Someone used an old sign-in token; that session was ended";

async function refresh(refreshToken: string) {
  return fetch(`${stack?.apiUrl}/api/v1/auth/refresh`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ refreshToken }),
  });
}

describe.skipIf(!hasStack)("security activity in /settings", () => {
  const chromium = useBrowser();

  test("lists the account's sign-ins and makes a detected token reuse stand out", { timeout: 90_000 }, async () => {
    const { context, email } = await signUp(chromium.browser, "activity");
    // Play the thief: the device's refresh token is used, then presented again after the grace.
    const refreshToken = (await context.cookies()).find((cookie) => cookie.name.endsWith("tv_rt"))?.value;
    expect(refreshToken).toBeTruthy();
    expect((await refresh(refreshToken!)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    expect((await refresh(refreshToken!)).status).toBe(401);
    await context.close();

    const { context: again, page } = await signInAs(chromium.browser, email);
    await page.goto("/settings");
    const activity = page.getByRole("list", { name: "Security activity" });
    await activity.waitFor();
    await expect.poll(() => activity.getByRole("alert").textContent()).toBe(REUSE_MESSAGE);
    expect(await activity.getByText("Account created").count()).toBe(1);
    expect(await activity.getByText("Signed in", { exact: true }).count()).toBeGreaterThanOrEqual(1);
    await again.close();
  });
});
