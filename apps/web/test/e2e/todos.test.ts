import { describe, expect, test } from "vitest";
import { addTodo, eventually, hasStack, PASSWORD, signUp, todoItem, useBrowser, webUrl } from "./browser.ts";

describe.skipIf(!hasStack)("managing todos in the browser", () => {
  const chromium = useBrowser();

  test("a new user adds, edits, toggles and deletes todos, and a reload keeps the state", async () => {
    const { context, page } = await signUp(chromium.browser, "todos");
    await page.getByText("Nothing to do yet").waitFor();

    const input = page.getByLabel("New todo");
    await addTodo(page, "Buy milk");
    // The input clears and keeps focus for the next todo.
    expect(await input.inputValue()).toBe("");
    expect(await input.evaluate((element) => element === document.activeElement)).toBe(true);
    await addTodo(page, "Walk the dog");
    await addTodo(page, "Pay rent");
    await page.getByText("3 items left").waitFor();

    // Edit in place: Edit, type, Enter.
    await todoItem(page, "Walk the dog").getByRole("button", { name: "Edit" }).click();
    const editor = page.getByRole("textbox", { name: "Title" });
    await editor.fill("Walk the cat");
    await editor.press("Enter");
    await page.getByRole("checkbox", { name: "Walk the cat", exact: true }).waitFor();

    // Escape cancels an edit.
    await page.getByText("Pay rent", { exact: true }).dblclick();
    await page.getByRole("textbox", { name: "Title" }).fill("Something else");
    await page.getByRole("textbox", { name: "Title" }).press("Escape");
    await page.getByRole("checkbox", { name: "Pay rent", exact: true }).waitFor();

    // Toggle.
    await page.getByRole("checkbox", { name: "Buy milk", exact: true }).check();
    await page.getByText("2 items left").waitFor();

    // Delete, with an Undo toast.
    await todoItem(page, "Pay rent").getByRole("button", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Undo" }).waitFor();
    await eventually(async () => (await page.getByRole("checkbox", { name: "Pay rent" }).count()) === 0);

    await page.reload();
    expect(await page.getByRole("checkbox", { name: "Buy milk", exact: true }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: "Walk the cat", exact: true }).isChecked()).toBe(false);
    expect(await page.getByRole("checkbox", { name: "Pay rent" }).count()).toBe(0);
    expect(await page.getByRole("checkbox", { name: "Walk the dog" }).count()).toBe(0);
    await page.getByText("1 item left").waitFor();
    await context.close();
  });

  test("Undo brings a deleted todo back", async () => {
    const { context, page } = await signUp(chromium.browser, "undo");
    await addTodo(page, "Call mum");
    await todoItem(page, "Call mum").getByRole("button", { name: "Delete" }).click();
    await page.getByRole("button", { name: "Undo" }).click();
    await page.getByRole("checkbox", { name: "Call mum", exact: true }).waitFor();
    await page.reload();
    await page.getByRole("checkbox", { name: "Call mum", exact: true }).waitFor();
    await context.close();
  });

  test("the All, Active and Completed filters live in the URL", async () => {
    const { context, page } = await signUp(chromium.browser, "filters");
    await addTodo(page, "Open task");
    await addTodo(page, "Done task");
    await page.getByRole("checkbox", { name: "Done task", exact: true }).check();
    await page.getByText("1 item left").waitFor();

    await page.getByRole("link", { name: "Active" }).click();
    await page.waitForURL(webUrl("/?status=active"));
    await eventually(async () => (await page.getByRole("checkbox", { name: "Done task" }).count()) === 0);
    await page.getByRole("checkbox", { name: "Open task", exact: true }).waitFor();

    await page.getByRole("link", { name: "Completed" }).click();
    await page.waitForURL(webUrl("/?status=completed"));
    await page.getByRole("checkbox", { name: "Done task", exact: true }).waitFor();
    expect(await page.getByRole("checkbox", { name: "Open task" }).count()).toBe(0);

    // The server renders the same filtered view on a reload.
    await page.reload();
    await page.getByRole("checkbox", { name: "Done task", exact: true }).waitFor();
    expect(await page.getByRole("checkbox", { name: "Open task" }).count()).toBe(0);
    expect(await page.getByRole("link", { name: "Completed" }).getAttribute("aria-current")).toBe("page");

    await page.getByRole("link", { name: "All" }).click();
    await page.waitForURL(webUrl("/"));
    await page.getByRole("checkbox", { name: "Open task", exact: true }).waitFor();
    await context.close();
  });

  test("Mark all complete and Clear completed act on every todo", async () => {
    const { context, page } = await signUp(chromium.browser, "bulk");
    await addTodo(page, "One");
    await addTodo(page, "Two");
    await page.getByRole("button", { name: "Mark all complete" }).click();
    await page.getByText("0 items left").waitFor();
    await page.getByRole("button", { name: "Clear completed" }).click();
    await page.getByText("Nothing to do yet").waitFor();
    await page.reload();
    await page.getByText("Nothing to do yet").waitFor();
    await context.close();
  });

  test("a second user sees nothing of the first", async () => {
    const first = await signUp(chromium.browser, "first");
    await addTodo(first.page, "First user's secret");
    const second = await signUp(chromium.browser, "second");
    await second.page.getByText("Nothing to do yet").waitFor();
    expect(await second.page.getByText("First user's secret").count()).toBe(0);
    const listed = await second.page.evaluate(async () => (await fetch("/api/todos")).json());
    expect(listed.items).toEqual([]);
    await first.context.close();
    await second.context.close();
  });

  test("priority, due date and tags are saved on a todo, and a past due date shows as overdue", async () => {
    const { context, page } = await signUp(chromium.browser, "details");
    await addTodo(page, "File taxes");
    await todoItem(page, "File taxes").getByRole("button", { name: "Details" }).click();
    await page.getByLabel("Priority").selectOption("high");
    await page.getByLabel("Due date").fill("2020-01-15");
    await page.getByLabel("Tags").fill("money, home");
    await page.getByRole("button", { name: "Save details" }).click();
    await page.reload();
    const item = todoItem(page, "File taxes");
    await item.getByText("high priority").waitFor();
    await item.getByText("Overdue").waitFor();
    await item.getByText("#money").waitFor();
    await context.close();
  });

  test("a tag's chip shows the todos carrying that tag, searching does not match tags, and the filter clears", async () => {
    const { context, page } = await signUp(chromium.browser, "tags");
    const input = page.getByLabel("New todo");
    await input.fill("Buy milk @shop");
    await page.getByRole("list", { name: "Understood" }).getByText("Tag shop").waitFor();
    await input.press("Enter");
    await eventually(() => page.getByRole("checkbox", { name: "Buy milk", exact: true }).isEnabled());
    await addTodo(page, "Walk the dog");

    // The search is the API's q: title and notes, not tags.
    await page.getByLabel("Search todos").fill("shop");
    await page.getByText("No todos match “shop”.").waitFor();
    await page.getByLabel("Search todos").fill("");

    await todoItem(page, "Buy milk").getByRole("link", { name: "#shop" }).click();
    await page.waitForURL(/\?tag=shop$/);
    await page.getByText("Tagged #shop").waitFor();
    await eventually(async () => (await page.getByRole("checkbox", { name: "Walk the dog" }).count()) === 0);
    // Added while the tag is shown: it carries the tag and stays in view.
    await addTodo(page, "Buy bread");
    await todoItem(page, "Buy bread").getByText("#shop").waitFor();

    await page.getByRole("link", { name: "Show todos with any tag, not only #shop" }).click();
    await page.getByRole("checkbox", { name: "Walk the dog", exact: true }).waitFor();
    await context.close();
  });

  test("a change refused with 412 (edited in another tab) reloads the todo and says so", async () => {
    const { context, page } = await signUp(chromium.browser, "conflict");
    // This tab must stay stale, as if it had been offline: no live updates.
    await page.route("**/api/events", (route) => route.abort());
    await page.reload();
    await addTodo(page, "Original title");
    const other = await context.newPage();
    await other.goto("/");
    await todoItem(other, "Original title").getByRole("button", { name: "Edit" }).click();
    await other.getByRole("textbox", { name: "Title" }).fill("Renamed elsewhere");
    await other.getByRole("textbox", { name: "Title" }).press("Enter");
    await eventually(
      async () => (await other.getByRole("checkbox", { name: "Renamed elsewhere" }).isEnabled()) === true,
    );
    await eventually(async () => {
      const listed = await other.evaluate(async () => (await fetch("/api/todos")).json());
      return listed.items[0]?.title === "Renamed elsewhere";
    });

    // The first tab still shows the old version; its toggle is refused and the item reloaded.
    await page.getByRole("checkbox", { name: "Original title", exact: true }).check();
    await page.getByText("was changed elsewhere").waitFor();
    await page.getByRole("checkbox", { name: "Renamed elsewhere", exact: true }).waitFor();
    expect(await page.getByRole("checkbox", { name: "Renamed elsewhere", exact: true }).isChecked()).toBe(false);
    await context.close();
  });

  test("an optimistic change the API refuses is rolled back with a message", async () => {
    const { context, page } = await signUp(chromium.browser, "rollback");
    await page.route("**/api/events", (route) => route.abort());
    await page.reload();
    await addTodo(page, "Gone soon");
    const other = await context.newPage();
    await other.goto("/");
    await todoItem(other, "Gone soon").getByRole("button", { name: "Delete" }).click();
    await other.getByRole("button", { name: "Undo" }).waitFor();

    // A click, not check(): the refusal removes the row, so the box never stays checked to be seen.
    await page.getByRole("checkbox", { name: "Gone soon", exact: true }).click();
    await page.getByText("no longer exists").waitFor();
    await eventually(async () => (await page.getByRole("checkbox", { name: "Gone soon" }).count()) === 0);
    await context.close();
  });

  test("an emptied title asks before deleting the todo", async () => {
    const { context, page } = await signUp(chromium.browser, "empty-title");
    await addTodo(page, "Temporary");
    await todoItem(page, "Temporary").getByRole("button", { name: "Edit" }).click();
    await page.getByRole("textbox", { name: "Title" }).fill("   ");
    await page.getByRole("textbox", { name: "Title" }).press("Enter");
    await page.getByRole("button", { name: "Delete todo" }).click();
    await eventually(async () => (await page.getByRole("checkbox", { name: "Temporary" }).count()) === 0);
    await page.reload();
    await page.getByText("Nothing to do yet").waitFor();
    await context.close();
  });

  test("todos can be reordered from the keyboard", async () => {
    const { context, page } = await signUp(chromium.browser, "reorder");
    await addTodo(page, "First");
    await addTodo(page, "Second");
    await page.getByRole("button", { name: "Reorder Second" }).focus();
    await page.keyboard.press("ArrowUp");
    const titles = async () => (await page.getByRole("list", { name: "Todos" }).getByRole("checkbox").all()).length;
    expect(await titles()).toBe(2);
    await eventually(async () => {
      const order = await page.evaluate(async () =>
        (await (await fetch("/api/todos")).json()).items.map((todo: { title: string }) => todo.title),
      );
      return order.join() === "Second,First";
    });
    await page.reload();
    const labels = await page.getByRole("list", { name: "Todos" }).getByRole("listitem").allInnerTexts();
    expect(labels[0]).toContain("Second");
    await context.close();
  });

  test("a change made on one device appears on another without reloading", async () => {
    const laptop = await signUp(chromium.browser, "live");
    const phone = await chromium.browser.newContext({ baseURL: webUrl() });
    const phonePage = await phone.newPage();
    await phonePage.goto("/signin");
    await phonePage.getByLabel("Email").fill(laptop.email);
    await phonePage.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await phonePage.getByRole("button", { name: "Sign in", exact: true }).click();
    await phonePage.waitForURL(webUrl("/"));
    await phonePage.getByText("Nothing to do yet").waitFor();

    await addTodo(laptop.page, "Made on the laptop");
    await phonePage.getByRole("checkbox", { name: "Made on the laptop", exact: true }).waitFor({ timeout: 10_000 });
    await laptop.page.getByRole("checkbox", { name: "Made on the laptop", exact: true }).check();
    await eventually(() => phonePage.getByRole("checkbox", { name: "Made on the laptop", exact: true }).isChecked());
    await todoItem(laptop.page, "Made on the laptop").getByRole("button", { name: "Delete" }).click();
    await eventually(async () => (await phonePage.getByRole("checkbox", { name: "Made on the laptop" }).count()) === 0);
    await laptop.context.close();
    await phone.close();
  });

  test("todos can be reordered by dragging", async () => {
    const { context, page } = await signUp(chromium.browser, "drag");
    await addTodo(page, "Alpha");
    await addTodo(page, "Beta");
    await addTodo(page, "Gamma");
    await page.getByRole("button", { name: "Reorder Gamma" }).dragTo(todoItem(page, "Alpha"), {
      targetPosition: { x: 40, y: 4 },
    });
    await eventually(async () => {
      const order = await page.evaluate(async () =>
        (await (await fetch("/api/todos")).json()).items.map((todo: { title: string }) => todo.title),
      );
      return order.join() === "Gamma,Alpha,Beta";
    });
    await context.close();
  });

  test("todos added in quick succession each appear exactly once", async () => {
    const { context, page } = await signUp(chromium.browser, "burst");
    const input = page.getByLabel("New todo");
    const titles = ["One", "Two", "Three", "Four", "Five"];
    for (const title of titles) {
      await input.fill(title);
      await input.press("Enter");
    }
    await page.getByText("5 items left").waitFor();
    for (const title of titles) {
      await eventually(() => page.getByRole("checkbox", { name: title, exact: true }).isEnabled());
    }
    // Let the live stream's echoes arrive, then count again.
    await page.waitForTimeout(1500);
    expect(await page.getByRole("list", { name: "Todos" }).getByRole("checkbox").count()).toBe(5);
    await page.reload();
    expect(await page.getByRole("list", { name: "Todos" }).getByRole("checkbox").count()).toBe(5);
    await context.close();
  });
});
