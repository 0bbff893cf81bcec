import { describe, expect, test } from "vitest";
import { eventually, hasStack, signUp, todoItem, useBrowser } from "./browser.ts";

/** The "New todo" field understands dates, lists, tags, priority and repeats, and says so before Enter. */
describe.skipIf(!hasStack)("quick add", () => {
  const chromium = useBrowser();

  test("a quick-add line shows what it understood as chips and creates the todo with those fields", async () => {
    const { context, page } = await signUp(chromium.browser, "quick-add");
    const input = page.getByLabel("New todo");
    await input.fill("Pay rent every month on the 1st #Home @bills !high");
    const understood = page.getByRole("list", { name: "Understood" });
    for (const chip of ["Repeats every month on the 1st", "List Home", "Tag bills", "Priority high"]) {
      await understood.getByText(chip).waitFor();
    }
    await understood.getByText(/^Due /).waitFor();
    await input.press("Enter");

    await eventually(() => page.getByRole("checkbox", { name: "Pay rent", exact: true }).isEnabled());
    const item = todoItem(page, "Pay rent");
    await item.getByText("high priority").waitFor();
    await item.getByText("#bills").waitFor();
    // #Home did not exist yet: it was created, and the todo is in it.
    const home = page.getByRole("navigation", { name: "Lists" }).getByRole("link", { name: /^Home \d+$/ });
    await home.waitFor();
    await eventually(async () => (await home.textContent())?.endsWith("1") ?? false);
    const saved = await page.evaluate(async () => (await (await fetch("/api/todos")).json()).items[0]);
    expect(saved).toMatchObject({ title: "Pay rent", recurrence: "FREQ=MONTHLY;BYMONTHDAY=1", tags: ["bills"] });
    expect(saved.dueAt).not.toBeNull();
    expect(await understood.getByRole("listitem").count()).toBe(0);
    await context.close();
  });

  test("the text can be kept literally", async () => {
    const { context, page } = await signUp(chromium.browser, "quick-literal");
    const input = page.getByLabel("New todo");
    await input.fill("Read #1 tomorrow !low");
    await page.getByRole("list", { name: "Understood" }).getByText("Priority low").waitFor();
    await page.getByRole("button", { name: "Keep text as typed" }).click();
    expect(await page.getByRole("button", { name: "Keep text as typed" }).getAttribute("aria-pressed")).toBe("true");
    expect(await page.getByRole("list", { name: "Understood" }).getByRole("listitem").count()).toBe(0);
    await input.press("Enter");
    await eventually(() => page.getByRole("checkbox", { name: "Read #1 tomorrow !low", exact: true }).isEnabled());
    const saved = await page.evaluate(async () => (await (await fetch("/api/todos")).json()).items[0]);
    expect(saved).toMatchObject({ title: "Read #1 tomorrow !low", dueAt: null, priority: "none", tags: [] });
    await context.close();
  });
});
