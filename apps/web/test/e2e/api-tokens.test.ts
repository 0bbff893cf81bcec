import { describe, expect, test } from "vitest";
import { addTodo, eventually, hasStack, PASSWORD, signUp, stack, useBrowser } from "./browser.ts";

function callApi(path: string, token: string, init: { method?: string; body?: unknown } = {}) {
  return fetch(`${stack?.apiUrl}${path}`, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

describe.skipIf(!hasStack)("API tokens in /settings", () => {
  const chromium = useBrowser();

  test("a read-only token is created and copied once, reads todos from a script, is refused a write naming the scope, and stops working when revoked", {
    timeout: 90_000,
  }, async () => {
    const { context, page } = await signUp(chromium.browser, "tokens");
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    await addTodo(page, "Water the plants");
    await page.goto("/settings");

    await page.getByRole("button", { name: "New token" }).click();
    const form = page.getByRole("form", { name: "Create an API token" });
    await form.getByLabel("Name").fill("read-only script");
    // todos:read is the default; nothing else is ticked.
    expect(await form.getByRole("checkbox", { name: /todos:read/ }).isChecked()).toBe(true);
    for (const scope of ["todos:write", "lists:read", "lists:write"]) {
      expect(await form.getByRole("checkbox", { name: new RegExp(scope) }).isChecked()).toBe(false);
    }
    const expiry = await form.getByLabel("Expires on").inputValue();
    const days = (Date.parse(`${expiry}T12:00:00Z`) - Date.now()) / 86_400_000;
    expect(Math.round(days)).toBe(90);
    await form.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await form.getByRole("button", { name: "Create token" }).click();

    const shown = page.getByRole("region", { name: "New API token" });
    const token = await shown.getByLabel("Token").inputValue();
    expect(token).toMatch(/^tvk_[0-9A-Za-z]{49}$/);
    await shown.getByRole("button", { name: "Copy" }).click();
    await shown.getByRole("button", { name: "Copied" }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);

    // The script's side.
    const read = await callApi("/api/v1/todos", token);
    expect(read.status).toBe(200);
    expect(JSON.stringify(await read.json())).toContain("Water the plants");
    const write = await callApi("/api/v1/todos", token, { method: "POST", body: { title: "not allowed" } });
    expect(write.status).toBe(403);
    expect(write.headers.get("www-authenticate")).toContain('error="insufficient_scope", scope="todos:write"');
    expect((await write.json()).code).toBe("insufficient_scope");

    // Shown once: after a reload the list has it, with its scope and last use, and no secret.
    await page.reload();
    const list = page.getByRole("list", { name: "API tokens" });
    const item = list.getByRole("listitem").filter({ hasText: "read-only script" });
    await item.waitFor();
    expect(await item.textContent()).toContain("todos:read");
    await eventually(async () => {
      await page.reload();
      return /Last used/.test((await list.getByRole("listitem").first().textContent()) ?? "");
    });
    expect(await page.content()).not.toContain(token);

    await list.getByRole("button", { name: "Revoke read-only script" }).click();
    await eventually(async () => (await list.count()) === 0 || (await item.count()) === 0);
    expect((await callApi("/api/v1/todos", token)).status).toBe(401);
    await context.close();
  });
});
