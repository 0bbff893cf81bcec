import type { Session } from "@taskvault/contract/auth";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todos } from "../../src/db/schema.ts";
import { as, buildTestApp, onPostgres, signUp, type TestApp, uniqueEmail } from "../helpers/app.ts";
import { mailEnv, startMailbox, TEST_PUBLIC_URL, type TestMailbox } from "../helpers/smtp.ts";
import { createList, createTodo as createTodoAs, type Person, person, removeMember, share } from "../sharing/world.ts";

// Email reminders: one email at remindAt, with no client connected, exactly once across
// instances and restarts, none for a todo completed or deleted before then.

/** Another instance of the same deployment: the same database and key secret. */
const sibling = () => buildTestApp({ ...mailEnv(mailbox), AUTH_KEY_SECRET: t.config.AUTH_KEY_SECRET! }, t.database);

let mailbox: TestMailbox;
let t: TestApp;
beforeAll(async () => {
  mailbox = await startMailbox();
  t = await buildTestApp(mailEnv(mailbox));
});
afterAll(async () => {
  await t?.close();
  await mailbox?.close();
});

let counter = 0;
const soon = (ms = 600) => new Date(Date.now() + ms).toISOString();

async function remindedUser(): Promise<{ session: Session; email: string; api: ReturnType<typeof as> }> {
  const email = uniqueEmail("remind");
  const session = await signUp(t.app, email);
  const api = as(t.app, session);
  const turnedOn = await api({ method: "PATCH", url: "/api/v1/me/preferences", payload: { emailReminders: true } });
  expect(turnedOn.statusCode).toBe(200);
  expect(turnedOn.json()).toEqual({ timezone: "UTC", emailReminders: true });
  return { session, email, api };
}

async function createTodo(api: ReturnType<typeof as>, fields: Record<string, unknown>) {
  const response = await api({ method: "POST", url: "/api/v1/todos", payload: fields });
  expect(response.statusCode).toBe(201);
  return response.json() as { id: string };
}

const remindersFor = (email: string, title: string) =>
  mailbox.received.filter((mail) => mail.to === email && mail.subject.includes(`Reminder: ${title}`));
const reminderArrives = (email: string, title: string) =>
  mailbox.waitFor((mail) => mail.to === email && mail.subject.includes(`Reminder: ${title}`));

describe("email reminders", () => {
  it("reads and changes the preference (off by default), and refuses a non-boolean", async () => {
    const session = await signUp(t.app);
    const api = as(t.app, session);
    expect((await api({ method: "GET", url: "/api/v1/me/preferences" })).json()).toEqual({
      timezone: "UTC",
      emailReminders: false,
    });
    const refused = await api({ method: "PATCH", url: "/api/v1/me/preferences", payload: { emailReminders: "yes" } });
    expect(refused.statusCode).toBe(422);
    const changed = await api({
      method: "PATCH",
      url: "/api/v1/me/preferences",
      payload: { emailReminders: true, timezone: "Europe/Paris" },
    });
    expect(changed.json()).toEqual({ timezone: "Europe/Paris", emailReminders: true });
  });

  it("sends one email at remindAt; none for a todo completed or deleted before, nor without the preference", async () => {
    const { email, api } = await remindedUser();
    const tag = ++counter;
    const completed = await createTodo(api, { title: `completed ${tag}`, remindAt: soon(300) });
    const deleted = await createTodo(api, { title: `deleted ${tag}`, remindAt: soon(300) });
    const completion = await api({
      method: "PATCH",
      url: `/api/v1/todos/${completed.id}`,
      payload: { completed: true },
    });
    expect(completion.statusCode).toBe(200);
    expect((await api({ method: "DELETE", url: `/api/v1/todos/${deleted.id}` })).statusCode).toBe(204);
    // Created last, due last: when its reminder arrives, the earlier ones have had their turn.
    await createTodo(api, { title: `kept ${tag}`, remindAt: soon(800) });

    const other = await signUp(t.app, uniqueEmail("no-pref"));
    await createTodo(as(t.app, other), { title: `unwanted ${tag}`, remindAt: soon(300) });

    const mail = await reminderArrives(email, `kept ${tag}`);
    expect(mail.text).toContain(`kept ${tag}`);
    expect(mail.links.every((link) => link.startsWith(TEST_PUBLIC_URL))).toBe(true);
    expect(remindersFor(email, `completed ${tag}`)).toHaveLength(0);
    expect(remindersFor(email, `deleted ${tag}`)).toHaveLength(0);
    expect(mailbox.received.some((candidate) => candidate.subject.includes(`unwanted ${tag}`))).toBe(false);
  });

  it("reminds once per reminder time, also after a restart, and again for a recurring todo's next instance", async () => {
    const { session, email, api } = await remindedUser();
    const tag = ++counter;
    const todo = await createTodo(api, {
      title: `daily ${tag}`,
      dueAt: soon(5000),
      remindAt: soon(300),
      recurrence: "FREQ=DAILY",
    });
    await reminderArrives(email, `daily ${tag}`);

    // A restarted instance on the same database finds the reminder already sent.
    const restarted = await sibling();
    try {
      await createTodo(api, { title: `marker ${tag}`, remindAt: soon(300) });
      await reminderArrives(email, `marker ${tag}`);
      expect(remindersFor(email, `daily ${tag}`)).toHaveLength(1);
    } finally {
      await restarted.close();
    }

    const completed = await api({ method: "PATCH", url: `/api/v1/todos/${todo.id}`, payload: { completed: true } });
    expect(completed.statusCode).toBe(200);
    const next = completed.json().next as { id: string; remindAt: string };
    expect(new Date(next.remindAt).getTime()).toBeGreaterThan(Date.now() + 23 * 3600 * 1000);
    // A day passes: the next instance's reminder comes due.
    await t.app.db
      .update(todos)
      .set({ remindAt: new Date(Date.now() + 300) })
      .where(and(eq(todos.userId, session.user.id), eq(todos.id, next.id)));
    await mailbox.waitFor(() => remindersFor(email, `daily ${tag}`).length === 2);
  });

  it.skipIf(!onPostgres)("sends one reminder however many instances scan (PostgreSQL only)", async () => {
    const second = await sibling();
    const third = await sibling();
    try {
      const { email, api } = await remindedUser();
      const tag = ++counter;
      for (let i = 0; i < 10; i++) await createTodo(api, { title: `shared ${tag}.${i}`, remindAt: soon(300) });
      await createTodo(api, { title: `last ${tag}`, remindAt: soon(900) });
      await reminderArrives(email, `last ${tag}`);
      for (let i = 0; i < 10; i++) expect(remindersFor(email, `shared ${tag}.${i}`)).toHaveLength(1);
    } finally {
      await second.close();
      await third.close();
    }
  });
});

describe("email reminders in a shared list", () => {
  /** A verified account with email reminders on. */
  async function reminded(): Promise<Person> {
    const who = await person(t);
    const on = await who.call({ method: "PATCH", url: "/api/v1/me/preferences", payload: { emailReminders: true } });
    expect(on.statusCode).toBe(200);
    return who;
  }
  const recipientsOf = (title: string) =>
    mailbox.received.filter((mail) => mail.subject.includes(`Reminder: ${title}`)).map((mail) => mail.to);

  it("go to the assignee, else to whoever set the reminder; never to everyone who sees the todo", async () => {
    const owner = await reminded();
    const editor = await reminded();
    const viewer = await reminded();
    const tag = ++counter;
    const list = await createList(owner);
    await share(owner, list.id, editor, "editor");
    await share(owner, list.id, viewer, "viewer");

    await createTodoAs(editor, { title: `set by editor ${tag}`, listId: list.id, remindAt: soon(300) });
    await createTodoAs(owner, { title: `set by owner ${tag}`, listId: list.id, remindAt: soon(300) });
    await createTodoAs(owner, {
      title: `assigned to editor ${tag}`,
      listId: list.id,
      assigneeId: editor.id,
      remindAt: soon(300),
    });
    await createTodoAs(editor, {
      title: `assigned to viewer ${tag}`,
      listId: list.id,
      assigneeId: viewer.id,
      remindAt: soon(300),
    });
    // The owner's reminder, changed by the editor: the editor set the reminder now.
    const changed = await createTodoAs(owner, { title: `changed by editor ${tag}`, listId: list.id });
    const patched = await editor.call({
      method: "PATCH",
      url: `/api/v1/todos/${changed.id}`,
      payload: { remindAt: soon(300) },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    await createTodoAs(owner, { title: `last ${tag}`, listId: list.id, remindAt: soon(900) });

    await reminderArrives(owner.email, `last ${tag}`);
    await mailbox.waitFor(() => recipientsOf(`changed by editor ${tag}`).length > 0);
    expect(recipientsOf(`set by editor ${tag}`)).toEqual([editor.email]);
    expect(recipientsOf(`set by owner ${tag}`)).toEqual([owner.email]);
    expect(recipientsOf(`assigned to editor ${tag}`)).toEqual([editor.email]);
    expect(recipientsOf(`assigned to viewer ${tag}`)).toEqual([viewer.email]);
    expect(recipientsOf(`changed by editor ${tag}`)).toEqual([editor.email]);
  });

  it("fall back to the owner when whoever set it or was assigned no longer sees the list", async () => {
    const owner = await reminded();
    const leaver = await reminded();
    const tag = ++counter;
    const list = await createList(owner);
    await share(owner, list.id, leaver, "editor");
    await createTodoAs(leaver, { title: `set by leaver ${tag}`, listId: list.id, remindAt: soon(1500) });
    await createTodoAs(leaver, {
      title: `assigned to leaver ${tag}`,
      listId: list.id,
      assigneeId: leaver.id,
      remindAt: soon(1500),
    });
    await removeMember(owner, list.id, leaver);

    await mailbox.waitFor(() => recipientsOf(`assigned to leaver ${tag}`).length > 0);
    await mailbox.waitFor(() => recipientsOf(`set by leaver ${tag}`).length > 0);
    expect(recipientsOf(`set by leaver ${tag}`)).toEqual([owner.email]);
    expect(recipientsOf(`assigned to leaver ${tag}`)).toEqual([owner.email]);
  });

  it("follow a recurring todo's next instance: still the assignee's", async () => {
    const owner = await reminded();
    const editor = await reminded();
    const tag = ++counter;
    const list = await createList(owner);
    await share(owner, list.id, editor, "editor");
    const todo = await createTodoAs(owner, {
      title: `weekly ${tag}`,
      listId: list.id,
      assigneeId: editor.id,
      dueAt: soon(5000),
      remindAt: soon(60_000),
      recurrence: "FREQ=WEEKLY",
    });
    const completed = await editor.call({
      method: "PATCH",
      url: `/api/v1/todos/${todo.id}`,
      payload: { completed: true },
    });
    expect(completed.statusCode, completed.body).toBe(200);
    const next = completed.json().next as { id: string; assigneeId: string | null; createdBy: string };
    expect(next).toMatchObject({ assigneeId: editor.id, createdBy: owner.id });
    await t.app.db
      .update(todos)
      .set({ remindAt: new Date(Date.now() + 300) })
      .where(and(eq(todos.userId, owner.id), eq(todos.id, next.id)));
    await mailbox.waitFor(() => recipientsOf(`weekly ${tag}`).length > 0);
    expect(recipientsOf(`weekly ${tag}`)).toEqual([editor.email]);
  });
});
