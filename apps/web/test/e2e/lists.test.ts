import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { addTodo, eventually, hasStack, signUp, todoItem, useBrowser } from "./browser.ts";

/** The sidebar: the Inbox and the user's lists with open-todo counts, list management, filtering by URL. */
describe.skipIf(!hasStack)("lists in the sidebar", () => {
  const chromium = useBrowser();

  const sidebar = (page: Page) => page.getByRole("navigation", { name: "Lists" });
  const listLink = (page: Page, name: string) =>
    sidebar(page).getByRole("link", { name: new RegExp(`^${name} \\d+$`) });
  const checkbox = (page: Page, title: string) => page.getByRole("checkbox", { name: title, exact: true });

  async function createList(page: Page, name: string) {
    await page.getByRole("button", { name: "New list" }).click();
    await page.getByRole("textbox", { name: "List name" }).fill(name);
    await page.getByRole("button", { name: "Create list" }).click();
    await listLink(page, name).waitFor();
  }

  test("lists are created, selected (in the URL), counted, renamed, and survive a reload", async () => {
    const { context, page } = await signUp(chromium.browser, "lists");
    await addTodo(page, "Loose end");
    expect(await listLink(page, "Inbox").textContent()).toContain("1");

    await createList(page, "Groceries");
    await listLink(page, "Groceries").click();
    await page.waitForURL(/\?list=/);
    // history.pushState changes the URL at once; React marks the link in the render that follows.
    await eventually(async () => (await listLink(page, "Groceries").getAttribute("aria-current")) === "page");
    // Only the list's todos show, and a todo added here lands in the list.
    await eventually(async () => (await checkbox(page, "Loose end").count()) === 0);
    await addTodo(page, "Buy eggs");
    await eventually(async () => (await listLink(page, "Groceries").textContent())?.endsWith("1") ?? false);

    await listLink(page, "Inbox").click();
    await checkbox(page, "Loose end").waitFor();
    await eventually(async () => (await checkbox(page, "Buy eggs").count()) === 0);

    await page.getByRole("button", { name: "Rename list Groceries" }).click();
    await page.getByRole("textbox", { name: "List name" }).fill("Food");
    await page.getByRole("textbox", { name: "List name" }).press("Enter");
    await listLink(page, "Food").waitFor();

    await listLink(page, "Food").click();
    await page.waitForURL(/\?list=/);
    await page.reload();
    await checkbox(page, "Buy eggs").waitFor();
    await eventually(async () => (await checkbox(page, "Loose end").count()) === 0);
    expect(await listLink(page, "Food").getAttribute("aria-current")).toBe("page");
    // The All filter still lists every todo once no list is selected.
    await page.goto("/");
    await checkbox(page, "Buy eggs").waitFor();
    await checkbox(page, "Loose end").waitFor();
    await context.close();
  });

  test("deleting a list with todos asks whether to move them to the Inbox or delete them", async () => {
    const { context, page } = await signUp(chromium.browser, "list-delete");
    await createList(page, "Work");
    await listLink(page, "Work").click();
    await page.waitForURL(/\?list=/);
    await addTodo(page, "Write report");

    await page.getByRole("button", { name: "Delete list Work" }).click();
    const dialog = page.getByRole("alertdialog");
    await dialog.getByText("still holds 1 todo").waitFor();
    await dialog.getByRole("button", { name: "Move to Inbox" }).click();
    await eventually(async () => (await listLink(page, "Work").count()) === 0);
    await listLink(page, "Inbox").click();
    await checkbox(page, "Write report").waitFor();

    await createList(page, "Someday");
    await listLink(page, "Someday").click();
    await page.waitForURL(/\?list=/);
    await addTodo(page, "Learn the cello");
    await page.getByRole("button", { name: "Delete list Someday" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Delete them too" }).click();
    await eventually(async () => (await listLink(page, "Someday").count()) === 0);
    await page.reload();
    await eventually(async () => (await checkbox(page, "Learn the cello").count()) === 0);
    await checkbox(page, "Write report").waitFor();

    // An empty list goes without a question.
    await createList(page, "Empty");
    await page.getByRole("button", { name: "Delete list Empty" }).click();
    await eventually(async () => (await listLink(page, "Empty").count()) === 0);
    await context.close();
  });

  /** The user's lists in sidebar order (after Inbox, Today, Upcoming and Assigned to me). */
  async function listOrder(page: Page): Promise<string[]> {
    const names = await sidebar(page).getByRole("link").allTextContents();
    return names.slice(4).map((name) => name.replace(/\d+$/, ""));
  }

  async function savedLists(page: Page): Promise<{ name: string; color: string | null }[]> {
    return page.evaluate(async () => (await (await fetch("/api/lists")).json()).items);
  }

  test("lists are recoloured and moved up and down (also from the keyboard), and both survive a reload", async () => {
    const { context, page } = await signUp(chromium.browser, "list-order");
    for (const name of ["Home", "Work", "Gym"]) await createList(page, name);
    expect(await listOrder(page)).toEqual(["Home", "Work", "Gym"]);
    expect(await sidebar(page).getByRole("button", { name: "Move Home up" }).isDisabled()).toBe(true);

    await sidebar(page).getByRole("button", { name: "Move Gym up" }).click();
    await eventually(async () => (await listOrder(page)).join() === "Home,Gym,Work");
    const moveHomeDown = sidebar(page).getByRole("button", { name: "Move Home down" });
    await moveHomeDown.focus();
    await page.keyboard.press("Enter");
    await eventually(async () => (await listOrder(page)).join() === "Gym,Home,Work");
    // The button keeps the focus while its list moves, so pressing again goes on moving it.
    expect(await page.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe("Move Home down");
    await eventually(async () => (await savedLists(page)).map((list) => list.name).join() === "Gym,Home,Work");

    await sidebar(page).getByRole("button", { name: "Rename list Work" }).click();
    await sidebar(page).getByRole("radio", { name: "Teal" }).check();
    await sidebar(page).getByRole("button", { name: "Save" }).click();
    await listLink(page, "Work").waitFor();
    await eventually(async () => (await savedLists(page)).find((list) => list.name === "Work")?.color === "teal");

    await page.reload();
    expect(await listOrder(page)).toEqual(["Gym", "Home", "Work"]);
    await sidebar(page).getByRole("button", { name: "Rename list Work" }).click();
    expect(await sidebar(page).getByRole("radio", { name: "Teal" }).isChecked()).toBe(true);
    await sidebar(page).getByRole("radio", { name: "No colour" }).check();
    await sidebar(page).getByRole("button", { name: "Save" }).click();
    await eventually(async () => (await savedLists(page)).find((list) => list.name === "Work")?.color === null);
    await context.close();
  });

  test("a move the API refuses is put back, with the reason", async () => {
    const { context, page } = await signUp(chromium.browser, "list-move-refused");
    await createList(page, "Keep");
    await createList(page, "Doomed");
    // This tab must not learn of the deletion from the live stream: it keeps showing the list.
    await page.route("**/api/events", (route) => route.abort());
    await page.reload();
    const other = await context.newPage();
    await other.goto("/");
    await other.getByRole("button", { name: "Delete list Doomed" }).click();
    await eventually(async () => (await other.getByRole("link", { name: /^Doomed \d+$/ }).count()) === 0);

    await sidebar(page).getByRole("button", { name: "Move Doomed up" }).click();
    await page.getByRole("alert").filter({ hasText: "Could not move “Doomed”" }).waitFor();
    expect(await listOrder(page)).toEqual(["Keep", "Doomed"]);
    await context.close();
  });

  test("Today shows what is due today or overdue, Upcoming what is due later", async () => {
    const { context, page } = await signUp(chromium.browser, "today");
    const input = page.getByLabel("New todo");
    await input.fill("Dentist tomorrow 10am");
    await page.getByRole("list", { name: "Understood" }).getByText(/^Due /).waitFor();
    await input.press("Enter");
    await eventually(() => checkbox(page, "Dentist").isEnabled());
    await addTodo(page, "Someday maybe");

    await listLink(page, "Upcoming").click();
    await page.waitForURL(/\?list=upcoming/);
    await checkbox(page, "Dentist").waitFor();
    await eventually(async () => (await checkbox(page, "Someday maybe").count()) === 0);

    await listLink(page, "Today").click();
    await page.waitForURL(/\?list=today/);
    await eventually(async () => (await checkbox(page, "Dentist").count()) === 0);
    // Added while looking at Today: due today, so it stays here.
    await addTodo(page, "Water the plants");
    expect(await listLink(page, "Today").textContent()).toMatch(/1$/);
    await page.reload();
    await checkbox(page, "Water the plants").waitFor();
    await eventually(async () => (await checkbox(page, "Someday maybe").count()) === 0);
    await context.close();
  });

  test("the details panel sets a todo's list, repeat and reminder", async () => {
    const { context, page } = await signUp(chromium.browser, "details-more");
    await createList(page, "Chores");
    await addTodo(page, "Take out the bins");
    await todoItem(page, "Take out the bins").getByRole("button", { name: "Details" }).click();
    await page.getByLabel("Due date").fill("2031-03-04");
    await page.getByLabel("List", { exact: true }).selectOption({ label: "Chores" });
    await page.getByLabel("Repeat").selectOption({ label: "Every week" });
    await page.getByLabel("Reminder").fill("2031-03-04T08:30");
    await page.getByRole("button", { name: "Save details" }).click();
    await eventually(async () => (await listLink(page, "Chores").textContent())?.endsWith("1") ?? false);

    await page.reload();
    const saved = await page.evaluate(async () => (await (await fetch("/api/todos")).json()).items[0]);
    expect(saved).toMatchObject({ title: "Take out the bins", recurrence: "FREQ=WEEKLY" });
    expect(saved.listId).not.toBeNull();
    expect(new Date(saved.remindAt).getTime()).toBe(new Date(2031, 2, 4, 8, 30).getTime());
    await todoItem(page, "Take out the bins").getByRole("button", { name: "Details" }).click();
    expect(await page.getByLabel("Repeat").inputValue()).toBe("FREQ=WEEKLY");
    expect(await page.getByLabel("Reminder").inputValue()).toBe("2031-03-04T08:30");
    await context.close();
  });

  test("subtasks are added and ticked off in the details panel, and the todo shows its progress", async () => {
    const { context, page } = await signUp(chromium.browser, "subtasks");
    await addTodo(page, "Plan the party");
    await todoItem(page, "Plan the party").getByRole("button", { name: "Details" }).click();
    const panel = page.getByRole("region", { name: "Subtasks of Plan the party" });
    for (const title of ["Invite friends", "Buy cake", "Book a room"]) {
      await panel.getByRole("textbox", { name: "New subtask" }).fill(title);
      await panel.getByRole("button", { name: "Add subtask" }).click();
      await panel.getByRole("checkbox", { name: title, exact: true }).waitFor();
    }
    await panel.getByRole("checkbox", { name: "Buy cake", exact: true }).check();
    await todoItem(page, "Plan the party").getByText("1/3", { exact: true }).waitFor();
    // Subtasks are not items of the main list, and the count is of top-level todos.
    await page.getByText("1 item left").waitFor();

    await page.reload();
    await todoItem(page, "Plan the party").getByText("1/3", { exact: true }).waitFor();
    expect(await page.getByRole("checkbox", { name: "Invite friends" }).count()).toBe(0);
    const saved = await page.evaluate(async () => (await (await fetch("/api/todos")).json()).items);
    expect(saved.filter((todo: { parentId: string | null }) => todo.parentId !== null)).toHaveLength(3);
    await context.close();
  });
});
