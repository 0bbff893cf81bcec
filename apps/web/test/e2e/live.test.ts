import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { addTodo, eventually, hasStack, signInAs, signUp, todoItem, useBrowser, webUrl } from "./browser.ts";

/** Live updates between two devices of one user, and catching up after being offline. */
describe.skipIf(!hasStack)("live updates between devices", () => {
  const chromium = useBrowser();

  const checkboxes = (page: Page, title: string) => page.getByRole("checkbox", { name: title, exact: true });
  /** The stream connects once the page is idle: wait until it is there before changing things elsewhere. */
  const streamOpen = (page: Page) => page.locator('[data-live-status="live"]').waitFor({ timeout: 10_000 });

  test("two devices of one user see each other's changes live, each exactly once", async () => {
    const laptop = await signUp(chromium.browser, "both-ways");
    const phone = await signInAs(chromium.browser, laptop.email);
    await Promise.all([streamOpen(laptop.page), streamOpen(phone.page)]);

    await addTodo(laptop.page, "From the laptop");
    await checkboxes(phone.page, "From the laptop").waitFor({ timeout: 10_000 });
    await addTodo(phone.page, "From the phone");
    await checkboxes(laptop.page, "From the phone").waitFor({ timeout: 10_000 });

    await phone.page.getByRole("checkbox", { name: "From the laptop", exact: true }).check();
    await eventually(() => checkboxes(laptop.page, "From the laptop").isChecked());
    await todoItem(laptop.page, "From the phone").getByRole("button", { name: "Delete" }).click();
    await eventually(async () => (await checkboxes(phone.page, "From the phone").count()) === 0);

    // The echo of a device's own change never duplicates it.
    await laptop.page.waitForTimeout(1000);
    expect(await checkboxes(laptop.page, "From the laptop").count()).toBe(1);
    expect(await checkboxes(phone.page, "From the laptop").count()).toBe(1);
    await laptop.context.close();
    await phone.context.close();
  });

  test("a device that was offline misses changes, says it is reconnecting, and catches up when back", async () => {
    const laptop = await signUp(chromium.browser, "offline");
    await addTodo(laptop.page, "Known to both");
    const phone = await signInAs(chromium.browser, laptop.email);
    await checkboxes(phone.page, "Known to both").waitFor();
    await streamOpen(phone.page);
    // One live change first, so the phone knows where it stands in the change log.
    await addTodo(laptop.page, "Seen live");
    await checkboxes(phone.page, "Seen live").waitFor({ timeout: 10_000 });

    await phone.context.setOffline(true);
    await phone.page.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor();

    await addTodo(laptop.page, "Made while offline");
    await laptop.page.getByRole("checkbox", { name: "Known to both", exact: true }).check();
    await todoItem(laptop.page, "Seen live").getByRole("button", { name: "Delete" }).click();
    await eventually(async () => (await checkboxes(laptop.page, "Seen live").count()) === 0);
    await phone.page.waitForTimeout(1500);
    expect(await checkboxes(phone.page, "Made while offline").count()).toBe(0);
    expect(await checkboxes(phone.page, "Known to both").isChecked()).toBe(false);

    await phone.context.setOffline(false);
    await checkboxes(phone.page, "Made while offline").waitFor({ timeout: 15_000 });
    await eventually(() => checkboxes(phone.page, "Known to both").isChecked(), 15_000);
    await eventually(async () => (await checkboxes(phone.page, "Seen live").count()) === 0, 15_000);
    await eventually(
      async () => (await phone.page.getByRole("status").filter({ hasText: "Reconnecting…" }).count()) === 0,
    );
    // Caught up once: nothing doubled.
    expect(await checkboxes(phone.page, "Made while offline").count()).toBe(1);

    // And live again afterwards.
    await addTodo(laptop.page, "After the trip");
    await checkboxes(phone.page, "After the trip").waitFor({ timeout: 10_000 });
    await laptop.context.close();
    await phone.context.close();
  });

  test("a revoked session's stream sends the device to sign in", async () => {
    const laptop = await signUp(chromium.browser, "revoked");
    const phone = await signInAs(chromium.browser, laptop.email);
    await Promise.all([streamOpen(laptop.page), streamOpen(phone.page)]);
    await addTodo(phone.page, "Before sign-out everywhere");
    await checkboxes(laptop.page, "Before sign-out everywhere").waitFor({ timeout: 10_000 });
    // Sent outside the pages: the laptop's own stream is revoked too and navigates its page away.
    const answer = await laptop.context.request.post(webUrl("/api/auth/signout-all"), {
      headers: { origin: new URL(webUrl()).origin },
    });
    expect(answer.status()).toBe(204);
    await phone.page.waitForURL(/\/signin/, { timeout: 20_000 });
    await laptop.context.close();
    await phone.context.close();
  });
});
