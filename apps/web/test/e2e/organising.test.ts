import type { Page } from "playwright-core";
import { describe, expect, test } from "vitest";
import { addTodo, eventually, hasStack, signUp, todoItem, useBrowser } from "./browser.ts";

type SavedTodo = {
  id: string;
  title: string;
  completed: boolean;
  dueAt: string | null;
  parentId: string | null;
  position: number;
  recurrence: string | null;
};

async function savedTodos(page: Page): Promise<SavedTodo[]> {
  return page.evaluate(async () => (await (await fetch("/api/todos?limit=200")).json()).items);
}

/** Subtasks in depth, day-grouped date views in the user's zone, repeats, due times and notes. */
describe.skipIf(!hasStack)("organising todos", () => {
  const chromium = useBrowser();

  test("subtasks nest three levels deep, a fourth is refused with the API's reason, and subtasks are reordered", async () => {
    const { context, page } = await signUp(chromium.browser, "nested");
    await addTodo(page, "Move house");
    await todoItem(page, "Move house").getByRole("button", { name: "Details" }).click();
    const panel = page.getByRole("region", { name: "Subtasks of Move house" });
    for (const title of ["Pack boxes", "Book a van", "Change address"]) {
      await panel.getByRole("textbox", { name: "New subtask", exact: true }).fill(title);
      await panel.getByRole("button", { name: "Add subtask", exact: true }).click();
      await panel.getByRole("checkbox", { name: title, exact: true }).waitFor();
    }
    const shownOrder = () =>
      panel.getByRole("checkbox").evaluateAll((boxes) => boxes.map((box) => box.closest("label")?.textContent ?? ""));

    await panel.getByRole("button", { name: "Move Change address up" }).click();
    await eventually(async () => (await shownOrder()).join() === "Pack boxes,Change address,Book a van");
    await panel.getByRole("button", { name: "Move Pack boxes down" }).click();
    await eventually(async () => (await shownOrder()).join() === "Change address,Pack boxes,Book a van");

    // A subtask of a subtask (level 3) …
    await panel.getByRole("button", { name: "Add a subtask to Pack boxes" }).click();
    await panel.getByRole("textbox", { name: "Subtask of Pack boxes" }).fill("Kitchen");
    await panel.getByRole("textbox", { name: "Subtask of Pack boxes" }).press("Enter");
    await panel.getByRole("checkbox", { name: "Kitchen", exact: true }).waitFor();
    await panel.getByText("(0/1)", { exact: true }).waitFor();
    await panel.getByRole("checkbox", { name: "Kitchen", exact: true }).check();
    await panel.getByText("(1/1)", { exact: true }).waitFor();
    // … but not one level more: the API says no, and the form says why.
    await panel.getByRole("button", { name: "Add a subtask to Kitchen" }).click();
    await panel.getByRole("textbox", { name: "Subtask of Kitchen" }).fill("Plates");
    await panel.getByRole("textbox", { name: "Subtask of Kitchen" }).press("Enter");
    await panel.getByRole("alert").filter({ hasText: "Could not add “Plates”" }).waitFor();
    expect(await panel.getByRole("checkbox", { name: "Plates" }).count()).toBe(0);
    // The todo's progress counts its own subtasks, not theirs.
    await todoItem(page, "Move house").getByText("0/3", { exact: true }).waitFor();

    await page.reload();
    await todoItem(page, "Move house").getByRole("button", { name: "Details" }).click();
    await panel.getByRole("checkbox", { name: "Kitchen", exact: true }).waitFor();
    expect(await shownOrder()).toEqual(["Change address", "Pack boxes", "Kitchen", "Book a van"]);
    expect(await panel.getByRole("checkbox", { name: "Kitchen", exact: true }).isChecked()).toBe(true);
    const saved = await savedTodos(page);
    const packBoxes = saved.find((todo) => todo.title === "Pack boxes");
    expect(saved.find((todo) => todo.title === "Kitchen")?.parentId).toBe(packBoxes?.id);
    await context.close();
  });

  test("Today shows Overdue above Today and Upcoming one group per day, in the user's time zone", async () => {
    // Both zones are far from the machine's: a day counted in the wrong zone would show. The todo
    // due today at 23:00 is overdue in the zone's last hours of the day, so the test runs in
    // whichever zone is not there now (Los Angeles is three hours behind Auckland's clock).
    const timezoneId = hourIn("Pacific/Auckland") < 21 ? "Pacific/Auckland" : "America/Los_Angeles";
    const { context, page } = await signUp(chromium.browser, "days", { timezoneId });
    const exported = await page.evaluate(async () => (await (await fetch("/api/export")).json()).profile);
    expect(exported.timezone).toBe(timezoneId);

    const inThreeDays = await page.evaluate(async () => {
      // Wall times in the browser's zone, which is Auckland here.
      const at = (days: number, hour: number) => {
        const date = new Date();
        date.setDate(date.getDate() + days);
        date.setHours(hour, 0, 0, 0);
        return date;
      };
      const seeds: [string, Date | null][] = [
        ["Pay the fine", at(-1, 12)],
        ["Water the plants", at(0, 23)],
        ["Call the plumber", at(1, 9)],
        ["Dinner with Sam", at(3, 19)],
        ["Someday maybe", null],
      ];
      for (const [title, due] of seeds) {
        const response = await fetch("/api/todos", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ title, dueAt: due?.toISOString() ?? null }),
        });
        if (response.status !== 201) throw new Error(`seeding ${title}: ${response.status}`);
      }
      const day = at(3, 12);
      const options: Intl.DateTimeFormatOptions = { weekday: "short", day: "numeric", month: "short" };
      if (day.getFullYear() !== new Date().getFullYear()) options.year = "numeric";
      return new Intl.DateTimeFormat("en-GB", options).format(day).replace(",", "");
    });
    await page.reload();
    const todoList = page.getByRole("region", { name: "Todo list" });
    const headings = () => todoList.getByRole("heading", { level: 2 }).allTextContents();
    const inGroup = (group: string, title: string) =>
      todoList.getByRole("region", { name: group, exact: true }).getByRole("checkbox", { name: title, exact: true });

    const sidebar = page.getByRole("navigation", { name: "Lists" });
    await sidebar.getByRole("link", { name: /^Today \d+$/ }).click();
    await page.waitForURL(/\?list=today/);
    await eventually(async () => (await headings()).join() === "Overdue,Today");
    await inGroup("Overdue", "Pay the fine").waitFor();
    await inGroup("Today", "Water the plants").waitFor();
    expect(await todoList.getByRole("checkbox", { name: "Someday maybe" }).count()).toBe(0);
    expect(await sidebar.getByRole("link", { name: /^Today \d+$/ }).textContent()).toMatch(/2$/);

    await sidebar.getByRole("link", { name: /^Upcoming \d+$/ }).click();
    await page.waitForURL(/\?list=upcoming/);
    await eventually(async () => (await headings()).join() === `Tomorrow,${inThreeDays}`);
    await inGroup("Tomorrow", "Call the plumber").waitFor();
    await inGroup(inThreeDays, "Dinner with Sam").waitFor();
    await context.close();
  });

  test("completing a recurring todo keeps it done and shows the next one at once", async () => {
    const { context, page } = await signUp(chromium.browser, "recurring");
    // No live stream: the next one must come from the completing call's answer.
    await page.route("**/api/events", (route) => route.abort());
    await page.reload();
    const input = page.getByLabel("New todo");
    await input.fill("Water the plants every day");
    await page.getByRole("list", { name: "Understood" }).getByText("Repeats every day").waitFor();
    await input.press("Enter");
    const plants = page.getByRole("checkbox", { name: "Water the plants", exact: true });
    await eventually(() => plants.first().isEnabled());

    await plants.first().check();
    await eventually(async () => (await plants.count()) === 2);
    await page.getByText("repeats: the next one is added").waitFor();
    expect(await plants.evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).checked))).toEqual([
      true,
      false,
    ]);

    const saved = (await savedTodos(page)).filter((todo) => todo.title === "Water the plants");
    expect(saved).toHaveLength(2);
    const [done, next] = [saved.find((todo) => todo.completed), saved.find((todo) => !todo.completed)];
    expect(next?.recurrence).toBe("FREQ=DAILY");
    // "every day" with no date is due at the end of today; the next one a day later.
    expect(Date.parse(next?.dueAt ?? "") - Date.parse(done?.dueAt ?? "")).toBe(86_400_000);
    await page.reload();
    await eventually(async () => (await plants.count()) === 2);
    await context.close();
  });

  test("the details panel sets a due time and a custom repeat, and notes show their links", async () => {
    const { context, page } = await signUp(chromium.browser, "custom-repeat");
    await addTodo(page, "Team sync");
    await todoItem(page, "Team sync").getByRole("button", { name: "Details" }).click();
    await page.getByLabel("Due date").fill("2031-03-04");
    await page.getByLabel("Due time").fill("09:30");
    await page.getByLabel("Repeat").selectOption({ label: "Custom…" });
    await page.getByLabel("Interval").fill("2");
    await page.getByLabel("Period").selectOption({ label: "weeks" });
    await page.getByRole("checkbox", { name: "Tuesday" }).check();
    await page.getByRole("checkbox", { name: "Thursday" }).check();
    await page.getByLabel("Notes").fill("Agenda: https://example.com/agenda.");
    await page.getByRole("button", { name: "Save details" }).click();

    const link = todoItem(page, "Team sync").getByRole("link", { name: "https://example.com/agenda" });
    expect(await link.getAttribute("href")).toBe("https://example.com/agenda");
    const expectedDue = await page.evaluate(() => new Date(2031, 2, 4, 9, 30).toISOString());
    await eventually(async () => {
      const [saved] = await savedTodos(page);
      return saved?.recurrence === "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH" && saved.dueAt === expectedDue;
    });

    await page.reload();
    await todoItem(page, "Team sync").getByRole("button", { name: "Details" }).click();
    expect(await page.getByLabel("Repeat").inputValue()).toBe("custom");
    expect(await page.getByLabel("Interval").inputValue()).toBe("2");
    expect(await page.getByRole("checkbox", { name: "Tuesday" }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: "Monday" }).isChecked()).toBe(false);
    expect(await page.getByLabel("Due time").inputValue()).toBe("09:30");
    await context.close();
  });

  test("the profile's time zone is chosen in settings", async () => {
    const { context, page } = await signUp(chromium.browser, "zone-settings", { timezoneId: "America/Los_Angeles" });
    await page.goto("/settings");
    // The device's zone (sign-up saved it in the profile) is the one selected.
    await eventually(async () => (await page.getByLabel("Time zone").inputValue()) === "America/Los_Angeles");
    await page.getByLabel("Time zone").selectOption("Europe/Berlin");
    await page.getByRole("button", { name: "Save time zone" }).click();
    await page.getByText("Time zone saved: Europe/Berlin.").waitFor();
    const profile = await page.evaluate(async () => (await (await fetch("/api/export")).json()).profile);
    expect(profile.timezone).toBe("Europe/Berlin");
    await context.close();
  });
});

/** The hour of the day it is now in `timeZone`, 0–23. */
function hourIn(timeZone: string): number {
  return Number(new Intl.DateTimeFormat("en-GB", { timeZone, hour: "numeric", hourCycle: "h23" }).format(new Date()));
}
