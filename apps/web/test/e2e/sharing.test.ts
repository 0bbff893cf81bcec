import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startMailbox, type TestMailbox } from "../../../api/test/helpers/smtp.ts";
import { eventually, hasStack, PASSWORD, uniqueEmail, useBrowser } from "./browser.ts";
import { type Stack, startStack } from "./stack.ts";

/**
 * Shared lists as people use them, each person in a browser context of their own: the owner
 * shares, the invitee accepts, they edit together live, a viewer only reads, and a removed member
 * watches the list go. Invitations are matched to a verified email, so this file runs a stack of
 * its own whose API mails over SMTP to a real SMTP server in this process: each person confirms
 * their address with the token of their confirmation mail.
 */
type Person = { context: BrowserContext; page: Page; email: string; name: string };

/** What "within a second" allows for a headless browser on a loaded 2-core machine. */
const LIVE_MS = 1500;

describe.skipIf(!hasStack)("shared lists in the browser", () => {
  const chromium = useBrowser();
  let mailbox: TestMailbox;
  let shareStack: Stack;
  const contexts: BrowserContext[] = [];
  const latencies: number[] = [];

  beforeAll(async () => {
    mailbox = await startMailbox();
    shareStack = await startStack({
      accessTtl: 60,
      apiEnv: { SMTP_URL: mailbox.url, MAIL_POLL_SECONDS: "0.05", MAIL_RETRY_BASE_SECONDS: "0.1" },
    });
  }, 120_000);
  afterAll(async () => {
    if (latencies.length) {
      const sorted = [...latencies].sort((a, b) => a - b);
      console.log(
        `[sharing] a member's change seen by another: ${sorted.length} samples, median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted[sorted.length - 1]} ms`,
      );
    }
    for (const context of contexts) await context.close().catch(() => undefined);
    await shareStack?.stop();
    await mailbox?.close();
  });

  /** A new person signs up through the form and confirms their email with their mail's token. */
  async function person(label: string, name: string): Promise<Person> {
    const context = await chromium.browser.newContext({ baseURL: shareStack.webUrl });
    contexts.push(context);
    const page = await context.newPage();
    const email = uniqueEmail(label);
    await page.goto("/signup");
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(`${shareStack.webUrl}/`);
    await page.getByLabel("New todo").waitFor();
    const mail = await mailbox.waitFor((received) => received.to === email && received.subject.startsWith("Confirm"));
    const link = mail.links.find((candidate) => new URL(candidate).searchParams.has("token"));
    if (!link) throw new Error(`No confirmation link in: ${mail.text}`);
    const verified = await fetch(`${shareStack.apiUrl}/api/v1/auth/email/verify`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ token: new URL(link).searchParams.get("token") }),
    });
    expect(verified.status).toBe(200);
    await streamOpen(page);
    return { context, page, email, name };
  }

  const sidebar = (page: Page) => page.getByRole("navigation", { name: "Lists" });
  const listLink = (page: Page, name: string) => sidebar(page).getByRole("link", { name });
  const listRow = (page: Page, name: string) => sidebar(page).getByRole("listitem").filter({ hasText: name });
  const checkbox = (page: Page, title: string) => page.getByRole("checkbox", { name: title, exact: true });
  const todoRow = (page: Page, title: string) => page.getByRole("listitem").filter({ has: checkbox(page, title) });
  const streamOpen = (page: Page) => page.locator('[data-live-status="live"]').waitFor({ timeout: 10_000 });
  const shareDialog = (page: Page, list: string) => page.getByRole("dialog", { name: `Share “${list}”` });
  const memberRow = (dialog: Locator, name: string) =>
    dialog.getByRole("list", { name: "Members" }).getByRole("listitem").filter({ hasText: name });

  async function createList(page: Page, name: string) {
    await page.getByRole("button", { name: "New list" }).click();
    await page.getByRole("textbox", { name: "List name" }).fill(name);
    await page.getByRole("button", { name: "Create list" }).click();
    await listLink(page, name).waitFor();
  }

  async function openList(page: Page, name: string) {
    await listLink(page, name).click();
    await eventually(async () => (await listLink(page, name).getAttribute("aria-current")) === "page");
  }

  async function addTodo(page: Page, title: string) {
    const input = page.getByLabel("New todo");
    await input.fill(title);
    await input.press("Enter");
    await eventually(() => checkbox(page, title).isEnabled());
  }

  /** The owner opens Share on the list and invites `email` with `role`. */
  async function invite(owner: Page, list: string, email: string, role: "Editor" | "Viewer") {
    await listRow(owner, list).getByRole("button", { name: "Share" }).click();
    const dialog = shareDialog(owner, list);
    await dialog.waitFor();
    await dialog.getByLabel("Email").fill(email);
    await dialog.getByLabel("Role", { exact: true }).selectOption({ label: role });
    await dialog.getByRole("button", { name: "Invite" }).click();
    await dialog.getByRole("list", { name: "Pending invitations" }).getByText(email).waitFor();
    return dialog;
  }

  /** The invitee sees the invitation (on their next visit to the page) and accepts it. */
  async function accept(invitee: Person, list: string) {
    await invitee.page.reload();
    const invitations = invitee.page.getByRole("region", { name: /Invitations/ });
    const item = invitations.getByRole("listitem").filter({ hasText: list });
    await item.waitFor();
    await item.getByRole("button", { name: "Accept" }).click();
    // On the sidebar at once, marked as shared.
    await listLink(invitee.page, list).waitFor({ timeout: 5000 });
    expect(await listLink(invitee.page, list).textContent()).toMatch(/shared with \d+ members/);
    await streamOpen(invitee.page);
  }

  /** How long until `check` holds on another member's screen, failing after LIVE_MS. */
  async function timeUntil(check: () => Promise<boolean>): Promise<number> {
    const start = Date.now();
    await eventually(check, LIVE_MS);
    const took = Date.now() - start;
    latencies.push(took);
    return took;
  }

  test("an owner shares a list, the invitee accepts, and they edit it together live", async () => {
    const owner = await person("owner", "Olive Owner");
    const editor = await person("editor", "Eddie Editor");
    const list = `Groceries ${Date.now().toString(36)}`;
    await createList(owner.page, list);
    await openList(owner.page, list);
    await addTodo(owner.page, "Milk");

    const dialog = await invite(owner.page, list, editor.email, "Editor");
    await dialog.getByRole("button", { name: "Close" }).click();
    const spare = `Spare ${Date.now().toString(36)}`;
    await createList(owner.page, spare);
    await (await invite(owner.page, spare, editor.email, "Viewer")).getByRole("button", { name: "Close" }).click();

    // Both invitations wait behind a badge; one is declined, the other accepted.
    await editor.page.reload();
    const invitations = editor.page.getByRole("region", { name: /Invitations/ });
    await invitations.getByRole("listitem").filter({ hasText: spare }).waitFor();
    expect(await invitations.getByRole("heading").textContent()).toMatch(/Invitations\s*2/);
    await invitations.getByRole("listitem").filter({ hasText: spare }).getByRole("button", { name: "Decline" }).click();
    await eventually(async () => (await invitations.getByRole("listitem").count()) === 1);
    await accept(editor, list);
    expect(await listLink(editor.page, spare).count()).toBe(0);
    expect(await invitations.count()).toBe(0);
    await openList(editor.page, list);
    await checkbox(editor.page, "Milk").waitFor();
    // Who created the todo is shown by initials.
    await eventually(
      async () => (await todoRow(editor.page, "Milk").textContent())?.includes("Created by Olive Owner") ?? false,
    );

    // The owner's sidebar counts the new member.
    await eventually(
      async () => (await listLink(owner.page, list).textContent())?.includes("shared with 2 members") ?? false,
    );

    // Edits by either one appear on the other's screen within a second.
    await addTodo(editor.page, "Eggs");
    await timeUntil(async () => (await checkbox(owner.page, "Eggs").count()) === 1);
    await checkbox(owner.page, "Milk").check();
    await timeUntil(() => checkbox(editor.page, "Milk").isChecked());
    await todoRow(editor.page, "Milk").getByRole("button", { name: "Edit" }).click();
    const title = editor.page.getByRole("textbox", { name: "Title" });
    await title.fill("Oat milk");
    await title.press("Enter");
    await timeUntil(async () => (await checkbox(owner.page, "Oat milk").count()) === 1);
    expect(await todoRow(owner.page, "Eggs").textContent()).toContain("Created by Eddie Editor");

    // The owner assigns Eggs to the editor; it shows in the editor's Assigned to me.
    await todoRow(owner.page, "Eggs").getByRole("button", { name: "Details for Eggs" }).click();
    await todoRow(owner.page, "Eggs").getByLabel("Assignee").selectOption({ label: editor.name });
    await todoRow(owner.page, "Eggs").getByRole("button", { name: "Save details" }).click();
    await timeUntil(
      async () => (await todoRow(editor.page, "Eggs").textContent())?.includes("Assigned to Eddie Editor") ?? false,
    );
    await listLink(editor.page, "Assigned to me").click();
    await checkbox(editor.page, "Eggs").waitFor();
    expect(await checkbox(editor.page, "Oat milk").count()).toBe(0);

    // The editor deletes a todo; it goes from the owner's screen too.
    await openList(editor.page, list);
    await todoRow(editor.page, "Eggs").getByRole("button", { name: "Delete" }).click();
    await timeUntil(async () => (await checkbox(owner.page, "Eggs").count()) === 0);

    // The editor leaves: the list goes from their sidebar and the owner's count drops.
    await listRow(editor.page, list).getByRole("button", { name: "Leave list" }).click();
    await eventually(async () => (await listLink(editor.page, list).count()) === 0);
    expect(await checkbox(editor.page, "Oat milk").count()).toBe(0);
    await eventually(async () => !(await listLink(owner.page, list).textContent())?.includes("shared"));
  });

  test("with three people: a viewer only reads, a demoted editor is told, and a removed member sees the list go at once", async () => {
    const owner = await person("owner3", "Ada Owner");
    const editor = await person("editor3", "Ben Editor");
    const viewer = await person("viewer3", "Cy Viewer");
    const list = `Sprint ${Date.now().toString(36)}`;
    await createList(owner.page, list);
    await openList(owner.page, list);
    await addTodo(owner.page, "Write the plan");

    const dialog = await invite(owner.page, list, editor.email, "Editor");
    await dialog.getByLabel("Email").fill(viewer.email);
    await dialog.getByLabel("Role", { exact: true }).selectOption({ label: "Viewer" });
    await dialog.getByRole("button", { name: "Invite" }).click();
    await dialog.getByRole("list", { name: "Pending invitations" }).getByText(viewer.email).waitFor();
    await dialog.getByRole("button", { name: "Close" }).click();

    await accept(editor, list);
    await accept(viewer, list);
    await openList(editor.page, list);
    await openList(viewer.page, list);

    // The viewer reads the todos but has no enabled control that would change one.
    const row = todoRow(viewer.page, "Write the plan");
    await row.waitFor();
    expect(await checkbox(viewer.page, "Write the plan").isDisabled()).toBe(true);
    for (const name of ["Edit Write the plan", "Delete Write the plan", "Details for Write the plan"]) {
      expect(await row.getByRole("button", { name }).isDisabled()).toBe(true);
    }
    expect(await viewer.page.getByLabel("New todo").isDisabled()).toBe(true);
    await viewer.page.getByText(`You can view “${list}” but not change it`).waitFor();
    // …and still sees the others' changes live.
    await addTodo(editor.page, "Review the plan");
    await timeUntil(async () => (await checkbox(viewer.page, "Review the plan").count()) === 1);

    // The owner sees everyone with their role.
    await listRow(owner.page, list).getByRole("button", { name: "Share" }).click();
    const members = shareDialog(owner.page, list);
    await memberRow(members, viewer.name).waitFor();
    expect(await memberRow(members, owner.name).textContent()).toContain("Owner");
    expect(await memberRow(members, editor.name).getByRole("combobox").inputValue()).toBe("editor");
    expect(await memberRow(members, viewer.name).getByRole("combobox").inputValue()).toBe("viewer");

    // Made a viewer, the editor's controls turn off live; a write refused meanwhile says why.
    await memberRow(members, editor.name).getByRole("combobox").selectOption({ label: "Viewer" });
    await members.getByRole("status").filter({ hasText: "is now viewer" }).waitFor();
    await timeUntil(() => checkbox(editor.page, "Review the plan").isDisabled());
    const refused = await editor.page.evaluate(async () => {
      const todos = (await (await fetch("/api/todos?limit=200")).json()).items as { id: string; title: string }[];
      const todo = todos.find((item) => item.title === "Review the plan");
      const response = await fetch(`/api/todos/${todo?.id}`, {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ completed: true }),
      });
      return response.status;
    });
    expect(refused).toBe(403);

    // The owner removes the viewer: the list closes on the viewer's screen at once, todos and all.
    await memberRow(members, viewer.name).getByRole("button", { name: "Remove" }).click();
    await eventually(async () => (await memberRow(members, viewer.name).count()) === 0);
    await timeUntil(async () => (await listLink(viewer.page, list).count()) === 0);
    await eventually(async () => (await checkbox(viewer.page, "Write the plan").count()) === 0, LIVE_MS);
    await viewer.page.getByText(`You no longer have access to “${list}”.`).waitFor();
    expect(new URL(viewer.page.url()).searchParams.get("list")).toBeNull();
    // The next request for the list is refused as if it never existed.
    const status = await viewer.page.evaluate(async () => (await fetch("/api/lists")).json());
    expect((status.items as { name: string }[]).some((item) => item.name === list)).toBe(false);
  });

  test("a viewer whose page still shows an editor's controls is told plainly when a change is refused", async () => {
    const owner = await person("owner4", "Dee Owner");
    const member = await person("member4", "Eve Member");
    const list = `Chores ${Date.now().toString(36)}`;
    await createList(owner.page, list);
    await openList(owner.page, list);
    await addTodo(owner.page, "Sweep");
    const dialog = await invite(owner.page, list, member.email, "Editor");
    await dialog.getByRole("button", { name: "Close" }).click();
    await accept(member, list);
    await openList(member.page, list);
    await checkbox(member.page, "Sweep").waitFor();

    // The member's screen misses the role change (its stream is cut and cannot come back), then
    // ticks the todo: the API refuses with 403.
    await member.page.route("**/api/events", (route) => route.abort());
    await member.page.route("**/api/changes**", (route) => route.abort());
    await member.context.setOffline(true);
    await member.context.setOffline(false);
    await listRow(owner.page, list).getByRole("button", { name: "Share" }).click();
    const members = shareDialog(owner.page, list);
    await memberRow(members, member.name).getByRole("combobox").selectOption({ label: "Viewer" });
    await members.getByRole("status").filter({ hasText: "is now viewer" }).waitFor();
    expect(await checkbox(member.page, "Sweep").isEnabled()).toBe(true);
    await checkbox(member.page, "Sweep").check();
    await member.page
      .getByRole("region", { name: "Notifications" })
      .getByText("“Sweep” was not changed: you can view this shared list but not change it.")
      .waitFor();
    // Rolled back; once the stream is back, the controls are off.
    await eventually(async () => !(await checkbox(member.page, "Sweep").isChecked()));
    await member.page.unrouteAll();
    await eventually(() => checkbox(member.page, "Sweep").isDisabled(), 15_000);
  });
});
