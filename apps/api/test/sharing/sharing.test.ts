import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen, openStream } from "../changes/sse.ts";
import { buildTestApp, type TestApp, walkTodos } from "../helpers/app.ts";
import { changesOf, createList, createTodo, invite, type Person, person, removeMember, share } from "./world.ts";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t?.close());

const idsOf = (items: { id: string }[]) => items.map((todo) => todo.id);
const seqsAreDense = (seqs: number[]) => seqs.every((seq, index) => index === 0 || seq === seqs[index - 1]! + 1);

describe("invitations", () => {
  it("are created by the owner with 14 days' validity, queued as an email, and listed for the invitee", async () => {
    const owner = await person(t);
    const invitee = await person(t);
    const list = await createList(owner, "Groceries");
    const response = await owner.call({
      method: "POST",
      url: `/api/v1/lists/${list.id}/invitations`,
      payload: { email: invitee.email.toUpperCase(), role: "editor" },
    });
    expect(response.statusCode).toBe(201);
    const invitation = response.json();
    expect(invitation).toMatchObject({
      listId: list.id,
      listName: "Groceries",
      email: invitee.email,
      role: "editor",
      invitedBy: { email: owner.email },
    });
    const days = (Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)) / 86_400_000;
    expect(days).toBe(14);
    const mail = await t.database.handle.db.execute(
      sql`select recipient, data from mail_outbox where kind = 'list_invitation' and recipient = ${invitee.email}`,
    );
    expect((mail as unknown as { rows?: unknown[] }).rows ?? mail).toHaveLength(1);
    const pending = await invitee.call({ method: "GET", url: "/api/v1/invitations" });
    expect(pending.json().items.map((item: { id: string }) => item.id)).toEqual([invitation.id]);
    const byOwner = await owner.call({ method: "GET", url: `/api/v1/lists/${list.id}/invitations` });
    expect(byOwner.json().items).toHaveLength(1);
  });

  it("match only a verified email: an unverified account neither sees nor accepts them", async () => {
    const owner = await person(t);
    const unverified = await person(t, { verified: false });
    const list = await createList(owner);
    const invitation = await invite(owner, list.id, unverified, "viewer");
    expect((await unverified.call({ method: "GET", url: "/api/v1/invitations" })).json().items).toEqual([]);
    const accept = await unverified.call({ method: "POST", url: `/api/v1/invitations/${invitation.id}/accept` });
    expect(accept.statusCode).toBe(404);
  });

  it("are single use: accepting gives the list with the role, a second accept is 404", async () => {
    const owner = await person(t);
    const member = await person(t);
    const list = await createList(owner);
    const invitation = await invite(owner, list.id, member, "viewer");
    const accept = await member.call({ method: "POST", url: `/api/v1/invitations/${invitation.id}/accept` });
    expect(accept.statusCode).toBe(200);
    expect(accept.json()).toMatchObject({ id: list.id, role: "viewer", memberCount: 2 });
    const again = await member.call({ method: "POST", url: `/api/v1/invitations/${invitation.id}/accept` });
    expect(again.statusCode).toBe(404);
  });

  it("can be declined by the invitee or withdrawn by the owner, and not touched by anyone else", async () => {
    const owner = await person(t);
    const invitee = await person(t);
    const stranger = await person(t);
    const list = await createList(owner);
    const first = await invite(owner, list.id, invitee, "editor");
    expect((await stranger.call({ method: "DELETE", url: `/api/v1/invitations/${first.id}` })).statusCode).toBe(404);
    expect((await invitee.call({ method: "DELETE", url: `/api/v1/invitations/${first.id}` })).statusCode).toBe(204);
    const second = await invite(owner, list.id, invitee, "editor");
    expect((await owner.call({ method: "DELETE", url: `/api/v1/invitations/${second.id}` })).statusCode).toBe(204);
    expect((await invitee.call({ method: "GET", url: "/api/v1/invitations" })).json().items).toEqual([]);
  });

  it("refuse inviting someone who already sees the list (409) and non-owners (403)", async () => {
    const owner = await person(t);
    const editor = await person(t);
    const list = await createList(owner);
    await share(owner, list.id, editor, "editor");
    const again = await owner.call({
      method: "POST",
      url: `/api/v1/lists/${list.id}/invitations`,
      payload: { email: editor.email, role: "viewer" },
    });
    expect(again.statusCode).toBe(409);
    const byEditor = await editor.call({
      method: "POST",
      url: `/api/v1/lists/${list.id}/invitations`,
      payload: { email: "someone@example.com", role: "viewer" },
    });
    expect(byEditor.statusCode).toBe(403);
    expect(byEditor.json().code).toBe("forbidden");
  });
});

describe("members", () => {
  it("are listed owner first with roles; the owner changes roles; a member leaves by deleting itself", async () => {
    const owner = await person(t);
    const a = await person(t);
    const b = await person(t);
    const list = await createList(owner);
    await share(owner, list.id, a, "editor");
    await share(owner, list.id, b, "viewer");
    const members = (await b.call({ method: "GET", url: `/api/v1/lists/${list.id}/members` })).json().items;
    expect(members.map((m: { userId: string; role: string }) => [m.userId, m.role])).toEqual([
      [owner.id, "owner"],
      [a.id, "editor"],
      [b.id, "viewer"],
    ]);
    const patched = await owner.call({
      method: "PATCH",
      url: `/api/v1/lists/${list.id}/members/${b.id}`,
      payload: { role: "editor" },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ userId: b.id, role: "editor" });
    const byMember = await a.call({ method: "DELETE", url: `/api/v1/lists/${list.id}/members/${b.id}` });
    expect(byMember.statusCode).toBe(403);
    expect((await a.call({ method: "DELETE", url: `/api/v1/lists/${list.id}/members/${a.id}` })).statusCode).toBe(204);
    expect((await a.call({ method: "GET", url: `/api/v1/lists/${list.id}` })).statusCode).toBe(404);
    expect((await owner.call({ method: "GET", url: `/api/v1/lists/${list.id}` })).json().memberCount).toBe(2);
  });
});

describe("todos of a shared list", () => {
  it("are seen by members in GET /todos with filters, carry createdBy, and assignee=me finds assigned ones", async () => {
    const owner = await person(t);
    const editor = await person(t);
    const list = await createList(owner);
    await share(owner, list.id, editor, "editor");
    const mine = await createTodo(editor, { title: "My own" });
    const byEditor = await createTodo(editor, { title: "Milk", listId: list.id, tags: ["dairy"] });
    const assigned = await createTodo(owner, { title: "Bread", listId: list.id, assigneeId: editor.id });
    const all = (await editor.call({ method: "GET", url: "/api/v1/todos" })).json().items;
    expect(idsOf(all).sort()).toEqual([mine.id, byEditor.id, assigned.id].sort());
    const milk = all.find((todo: { id: string }) => todo.id === byEditor.id);
    expect(milk).toMatchObject({ createdBy: editor.id, listId: list.id, assigneeId: null });
    const tagged = (await editor.call({ method: "GET", url: "/api/v1/todos?tag=dairy" })).json().items;
    expect(idsOf(tagged)).toEqual([byEditor.id]);
    const inList = (await editor.call({ method: "GET", url: `/api/v1/todos?listId=${list.id}&sort=title` })).json();
    expect(inList.items.map((todo: { title: string }) => todo.title)).toEqual(["Bread", "Milk"]);
    const toMe = (await editor.call({ method: "GET", url: "/api/v1/todos?assignee=me" })).json().items;
    expect(idsOf(toMe)).toEqual([assigned.id]);
    const ownerSees = (await owner.call({ method: "GET", url: "/api/v1/todos" })).json().items;
    expect(idsOf(ownerSees).sort()).toEqual([byEditor.id, assigned.id].sort());
  });

  it("fill the first page of a member with no todos of their own, and leave it when they are removed", async () => {
    const owner = await person(t);
    const member = await person(t);
    const list = await createList(owner);
    const bread = await createTodo(owner, { title: "Bread", listId: list.id });
    const page = async (who: Person) =>
      (await who.call({ method: "GET", url: "/api/v1/todos?limit=1" })).json() as {
        items: { id: string }[];
        nextCursor: string | null;
      };
    expect(await page(member)).toEqual({ items: [], nextCursor: null });
    await share(owner, list.id, member, "viewer");
    const milk = await createTodo(owner, { title: "Milk", listId: list.id });
    const first = await page(member);
    expect(first.items.map((todo) => todo.id)).toEqual([bread.id]);
    const second = (
      await member.call({ method: "GET", url: `/api/v1/todos?limit=1&cursor=${first.nextCursor}` })
    ).json();
    expect(idsOf(second.items)).toEqual([milk.id]);
    await removeMember(owner, list.id, member);
    expect(await page(member)).toEqual({ items: [], nextCursor: null });
    const own = await createTodo(member, { title: "Own" });
    expect((await page(member)).items.map((todo) => todo.id)).toEqual([own.id]);
  });

  it("give a member one first page of their own and their shared lists' todos, in every order, that its cursor continues", async () => {
    const member = await person(t);
    const owners = [await person(t), await person(t)];
    const expected: string[] = [];
    const add = async (who: Person, listId: string | undefined, title: string, extra: Record<string, unknown>) =>
      expected.push((await createTodo(who, { title, ...(listId && { listId }), ...extra })).id);
    await add(member, undefined, "own b", { priority: "high", dueAt: "2031-01-02T10:00:00.000Z" });
    await add(member, undefined, "Own a", {});
    for (const [index, owner] of owners.entries()) {
      const list = await createList(owner);
      await add(owner, list.id, `Shared ${index} x`, { priority: "low", dueAt: "2031-01-01T10:00:00.000Z" });
      await add(owner, list.id, `shared ${index} y`, { priority: "high", position: 0.5 });
      await createTodo(owner, { title: "Not shared" });
      await share(owner, list.id, member, index === 0 ? "viewer" : "editor");
    }
    for (const sort of ["position", "created", "-created", "due", "priority", "title"]) {
      const whole = (await member.call({ method: "GET", url: `/api/v1/todos?sort=${sort}&limit=100` })).json();
      expect(whole.nextCursor).toBeNull();
      // Two at a time: the first page as above, the rest through cursors (another statement).
      const walked = idsOf(await walkTodos(member.call, `sort=${sort}&limit=2`));
      const ids = idsOf(whole.items);
      expect(ids, sort).toEqual(walked);
      expect([...ids].sort(), sort).toEqual([...expected].sort());
    }
  });

  it("cut each of a member's sources to a page, yet serve their first page in order across them, equal positions by id", async () => {
    const member = await person(t);
    const owners = [await person(t), await person(t)];
    const visible: { id: string; position: number }[] = [];
    const add = async (who: Person, position: number, listId?: string) => {
      const todo = await createTodo(who, { title: `At ${position}`, position, ...(listId && { listId }) });
      visible.push({ id: todo.id, position });
    };
    for (const position of [1, 2, 3]) await add(member, position);
    for (const owner of owners) {
      const list = await createList(owner);
      // Longer than the pages below, so each list's branch is cut before the union is ordered.
      for (const position of [1, 2, 3, 4]) await add(owner, position, list.id);
      await createTodo(owner, { title: "Not shared", position: 0.5 });
      await share(owner, list.id, member, "viewer");
    }
    // PostgreSQL orders uuids by their bytes, as lower-case hex text compares.
    const expected = visible.sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1)).map((todo) => todo.id);
    for (const limit of [2, 5]) {
      const first = (await member.call({ method: "GET", url: `/api/v1/todos?limit=${limit}` })).json();
      expect(idsOf(first.items)).toEqual(expected.slice(0, limit));
      expect(idsOf(await walkTodos(member.call, `limit=${limit}`)), `limit ${limit}`).toEqual(expected);
    }
    // Every other order: the first page (the member's statement) and the pages after it (cursors)
    // serve each visible todo once, the same order whatever the page size.
    for (const sort of ["created", "-created", "due", "priority", "title"]) {
      const byTwo = idsOf(await walkTodos(member.call, `sort=${sort}&limit=2`));
      expect([...byTwo].sort(), sort).toEqual([...expected].sort());
      expect(idsOf(await walkTodos(member.call, `sort=${sort}&limit=5`)), sort).toEqual(byTwo);
    }
  });

  it("refuse an assignee who is not a member (422)", async () => {
    const owner = await person(t);
    const stranger = await person(t);
    const list = await createList(owner);
    const response = await owner.call({
      method: "POST",
      url: "/api/v1/todos",
      payload: { title: "x", listId: list.id, assigneeId: stranger.id },
    });
    expect(response.statusCode).toBe(422);
    expect(response.json().errors.assigneeId).toBeDefined();
  });

  it("move between the owner's list and a member's own list with write access to both", async () => {
    const owner = await person(t);
    const editor = await person(t);
    const shared = await createList(owner);
    const own = await createList(editor);
    await share(owner, shared.id, editor, "editor");
    const todo = await createTodo(editor, { title: "Move me", listId: own.id });
    const sub = await createTodo(editor, { title: "Sub", parentId: todo.id });
    const into = await editor.call({
      method: "PATCH",
      url: `/api/v1/todos/${todo.id}`,
      payload: { listId: shared.id },
    });
    expect(into.statusCode, into.body).toBe(200);
    expect(into.json()).toMatchObject({ id: todo.id, listId: shared.id, createdBy: editor.id });
    const subNow = await owner.call({ method: "GET", url: `/api/v1/todos/${sub.id}` });
    expect(subNow.json()).toMatchObject({ listId: shared.id, parentId: todo.id });
    const out = await editor.call({ method: "PATCH", url: `/api/v1/todos/${todo.id}`, payload: { listId: null } });
    expect(out.statusCode, out.body).toBe(200);
    expect((await owner.call({ method: "GET", url: `/api/v1/todos/${todo.id}` })).statusCode).toBe(404);
    expect((await editor.call({ method: "GET", url: `/api/v1/todos/${sub.id}` })).json().listId).toBe(null);
  });

  it("complete-all and delete-completed of a member never touch the owner's lists", async () => {
    const owner = await person(t);
    const editor = await person(t);
    const list = await createList(owner);
    await share(owner, list.id, editor, "editor");
    const shared = await createTodo(owner, { title: "Shared", listId: list.id });
    const done = await createTodo(owner, { title: "Done", listId: list.id, completed: true });
    await createTodo(editor, { title: "Mine" });
    expect((await editor.call({ method: "POST", url: "/api/v1/todos/complete-all" })).json()).toEqual({ updated: 1 });
    expect((await editor.call({ method: "DELETE", url: "/api/v1/todos?status=completed" })).json()).toEqual({
      deleted: 1,
    });
    expect((await owner.call({ method: "GET", url: `/api/v1/todos/${shared.id}` })).json().completed).toBe(false);
    expect((await owner.call({ method: "GET", url: `/api/v1/todos/${done.id}` })).statusCode).toBe(200);
  });

  it("keep ETags and idempotency keys working for a member", async () => {
    const owner = await person(t);
    const editor = await person(t);
    const list = await createList(owner);
    await share(owner, list.id, editor, "editor");
    const headers = { "idempotency-key": "member-key-1" };
    const first = await editor.call({
      method: "POST",
      url: "/api/v1/todos",
      headers,
      payload: { title: "Once", listId: list.id },
    });
    const second = await editor.call({
      method: "POST",
      url: "/api/v1/todos",
      headers,
      payload: { title: "Once", listId: list.id },
    });
    expect(second.json().id).toBe(first.json().id);
    const stale = await editor.call({
      method: "PATCH",
      url: `/api/v1/todos/${first.json().id}`,
      headers: { "if-match": '"7"' },
      payload: { title: "x" },
    });
    expect(stale.statusCode).toBe(412);
    const fresh = await editor.call({
      method: "PATCH",
      url: `/api/v1/todos/${first.json().id}`,
      headers: { "if-match": first.headers.etag as string },
      payload: { title: "Changed" },
    });
    expect(fresh.statusCode).toBe(200);
  });
});

describe("change feed", () => {
  it("gives every member each change of the shared list, with dense per-user seqs", async () => {
    const owner = await person(t);
    const editor = await person(t);
    const viewer = await person(t);
    const list = await createList(owner);
    const before = await createTodo(owner, { title: "Before", listId: list.id });
    await share(owner, list.id, editor, "editor");
    await share(owner, list.id, viewer, "viewer");
    const joined = await changesOf(viewer);
    expect(joined.changes.map((change) => [change.type, change.id])).toEqual(
      expect.arrayContaining([
        ["list.upserted", list.id],
        ["todo.upserted", before.id],
      ]),
    );
    const listEntry = joined.changes.find((change) => change.type === "list.upserted")!;
    expect(listEntry.data).toMatchObject({ role: "viewer" });
    const todo = await createTodo(editor, { title: "By editor", listId: list.id });
    await owner.call({ method: "PATCH", url: `/api/v1/todos/${todo.id}`, payload: { completed: true } });
    for (const who of [owner, editor, viewer]) {
      const feed = await changesOf(who);
      const seqs = feed.changes.map((change) => change.seq);
      expect(seqsAreDense(seqs)).toBe(true);
      const ofTodo = feed.changes.filter((change) => change.id === todo.id);
      expect(ofTodo.map((change) => change.data?.completed)).toEqual([false, true]);
    }
  });

  it("tells the owner and the other members at once, in /changes and open streams, that someone joined", async () => {
    const owner = await person(t);
    const editor = await person(t);
    const joiner = await person(t);
    const list = await createList(owner);
    await share(owner, list.id, editor, "editor");
    const since = { owner: (await changesOf(owner)).seq, editor: (await changesOf(editor)).seq };
    const base = await listen(t.app);
    const streams = await Promise.all([
      openStream(base, owner.session.accessToken, { query: `?since=${since.owner}` }),
      openStream(base, editor.session.accessToken, { query: `?since=${since.editor}` }),
    ]);
    try {
      await share(owner, list.id, joiner, "viewer");
      for (const [index, who] of [owner, editor].entries()) {
        const feed = await changesOf(who, index === 0 ? since.owner : since.editor);
        expect(feed.changes.map((change) => [change.type, change.id, change.data?.memberCount])).toEqual([
          ["list.upserted", list.id, 3],
        ]);
        // Well before the hub's catch-up poll (5 s here): the accept's response woke them.
        const [event] = await streams[index]!.waitForEvents(1, 1500);
        expect(event!.event).toBe("list.upserted");
        expect(JSON.parse(event!.data)).toMatchObject({ id: list.id, data: { memberCount: 3 } });
      }
    } finally {
      for (const stream of streams) stream.close();
    }
  });

  it("ends with a list.deleted tombstone and nothing after for a removed member", async () => {
    const owner = await person(t);
    const member = await person(t);
    const list = await createList(owner);
    await share(owner, list.id, member, "editor");
    const todo = await createTodo(owner, { title: "Seen", listId: list.id });
    await removeMember(owner, list.id, member);
    await owner.call({ method: "PATCH", url: `/api/v1/todos/${todo.id}`, payload: { title: "Unseen" } });
    await createTodo(owner, { title: "Also unseen", listId: list.id });
    const feed = await changesOf(member);
    const last = feed.changes.at(-1)!;
    expect(last).toMatchObject({ type: "list.deleted", id: list.id, data: null });
    expect(JSON.stringify(feed.changes)).not.toContain("unseen");
    expect((await member.call({ method: "GET", url: `/api/v1/todos/${todo.id}` })).statusCode).toBe(404);
  });

  it("gives members list.deleted when the list or the owner's account is deleted", async () => {
    const owner = await person(t);
    const member = await person(t);
    const list = await createList(owner);
    const other = await createList(owner);
    await share(owner, list.id, member, "viewer");
    await share(owner, other.id, member, "viewer");
    await createTodo(owner, { title: "x", listId: list.id });
    const deleted = await owner.call({ method: "DELETE", url: `/api/v1/lists/${list.id}?todos=delete` });
    expect(deleted.statusCode).toBe(204);
    let feed = await changesOf(member);
    expect(feed.changes.at(-1)).toMatchObject({ type: "list.deleted", id: list.id });
    const gone = await owner.call({
      method: "DELETE",
      url: "/api/v1/me",
      payload: { password: "a long and unusual passphrase" },
    });
    expect(gone.statusCode).toBe(204);
    feed = await changesOf(member);
    expect(feed.changes.at(-1)).toMatchObject({ type: "list.deleted", id: other.id });
    expect((await member.call({ method: "GET", url: "/api/v1/lists" })).json().items).toEqual([]);
  });

  it("ends a member's memberships when their account is deleted", async () => {
    const owner = await person(t);
    const member = await person(t);
    const list = await createList(owner);
    await share(owner, list.id, member, "editor");
    const gone = await member.call({
      method: "DELETE",
      url: "/api/v1/me",
      payload: { password: "a long and unusual passphrase" },
    });
    expect(gone.statusCode).toBe(204);
    expect((await owner.call({ method: "GET", url: `/api/v1/lists/${list.id}` })).json().memberCount).toBe(1);
  });
});

export type { Person };
