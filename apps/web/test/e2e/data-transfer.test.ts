import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { addTodo, hasStack, signUp, useBrowser } from "./browser.ts";

/** Settings → Your data: export downloads JSON; import takes that JSON or a Todoist CSV and says what it did. */
describe.skipIf(!hasStack)("export and import in settings", () => {
  const chromium = useBrowser();

  test("an export downloads the user's data, and importing it into another account brings the todos over", async () => {
    const first = await signUp(chromium.browser, "export");
    await addTodo(first.page, "Carried over");
    await addTodo(first.page, "Also carried");
    await first.page.goto("/settings");
    const [download] = await Promise.all([
      first.page.waitForEvent("download"),
      first.page.getByRole("button", { name: "Export data" }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^taskvault-export-\d{4}-\d{2}-\d{2}\.json$/);
    const path = await download.path();
    const document = JSON.parse(readFileSync(path, "utf8")) as { todos: { title: string }[] };
    expect(document.todos.map((todo) => todo.title).sort()).toEqual(["Also carried", "Carried over"]);
    await first.page.getByText("Exported 2 todos").waitFor();

    const second = await signUp(chromium.browser, "import");
    await second.page.goto("/settings");
    await second.page.getByLabel("Import file").setInputFiles({
      name: "taskvault.json",
      mimeType: "application/json",
      buffer: readFileSync(path),
    });
    await second.page.getByRole("button", { name: "Import", exact: true }).click();
    await second.page.getByText("Imported 2 todos from taskvault.json.").waitFor();
    await second.page.goto("/");
    await second.page.getByRole("checkbox", { name: "Carried over", exact: true }).waitFor();
    await first.context.close();
    await second.context.close();
  });

  test("a Todoist CSV is imported, and a broken file imports nothing and says why", async () => {
    const { context, page } = await signUp(chromium.browser, "todoist");
    await page.goto("/settings");
    const csv = [
      "TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE",
      "task,Paint the fence @home,,1,1,,,,en,",
      "task,Buy brushes,,4,2,,,,en,",
    ].join("\n");
    await page
      .getByLabel("Import file")
      .setInputFiles({ name: "todoist.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByText("Imported 2 todos from todoist.csv.").waitFor();

    await page.getByLabel("Import file").setInputFiles({
      name: "broken.json",
      mimeType: "application/json",
      buffer: Buffer.from('{"format":"not taskvault"}'),
    });
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await page.getByText(/^Nothing was imported/).waitFor();

    await page.goto("/");
    await page.getByRole("checkbox", { name: "Paint the fence", exact: true }).waitFor();
    await context.close();
  });
});
