import { describe, expect, test } from "vitest";
import { addTodo, hasStack, signUp, useBrowser } from "./browser.ts";

/** A todo's reminder fires on the open page: a toast, and an entry under the bell. */
describe.skipIf(!hasStack)("reminders", () => {
  const chromium = useBrowser();

  test("a reminder coming due shows a toast and appears under the bell", async () => {
    const { context, page } = await signUp(chromium.browser, "remind");
    await addTodo(page, "Stretch your legs");
    await page.locator('[data-live-status="live"]').waitFor({ timeout: 10_000 });
    expect(await page.getByRole("button", { name: "Alerts", exact: true }).count()).toBe(1);

    // Set from "another device" (straight through the BFF): the live update schedules it here.
    const status = await page.evaluate(async () => {
      const [todo] = (await (await fetch("/api/todos")).json()).items;
      const response = await fetch(`/api/todos/${todo.id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", "if-match": `"${todo.version}"` },
        body: JSON.stringify({ remindAt: new Date(Date.now() + 3000).toISOString() }),
      });
      return response.status;
    });
    expect(status).toBe(200);

    await page.getByText("Reminder: Stretch your legs").waitFor({ timeout: 15_000 });
    await page.getByRole("button", { name: "Alerts (1)" }).click();
    await page.getByRole("region", { name: "Alerts" }).getByText("Stretch your legs").waitFor();
    await context.close();
  });
});
