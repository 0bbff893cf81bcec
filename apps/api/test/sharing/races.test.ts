import postgres from "postgres";
import { uuidv7 } from "uuidv7";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, onPostgres, type TestApp } from "../helpers/app.ts";
import { changesOf, createList, createTodo, invite, type Person, person, share } from "./world.ts";

// Writers of a shared list's todos racing membership changes (decision 026, "Ordering writers and
// membership changes"; drizzle/0011). A second connection holds a writer's transaction open, past
// the point where its change trigger has read the list's members, while the API removes a member
// or accepts an invitation; then the writer commits. PGlite has one connection, so these races
// cannot happen there: PostgreSQL only.

const skipReason = !onPostgres ? "PGlite has one connection: the races need two" : null;

let t: TestApp;
let writer: postgres.Sql;
beforeAll(async () => {
  if (skipReason) return;
  t = await buildTestApp();
  writer = postgres(t.database.url!, { max: 2, onnotice: () => {} });
});
afterAll(async () => {
  await writer?.end();
  await t?.close();
});

const open = new Set<postgres.ReservedSql>();
// A test that failed half-way leaves its transaction open: roll it back, or it holds its locks and
// its connection for the tests after it.
afterEach(async () => {
  for (const connection of open) {
    await connection`rollback`;
    connection.release();
  }
  open.clear();
});

/** A transaction on the second connection, open until `commit()`. */
async function openTransaction() {
  const connection = await writer.reserve();
  await connection`begin`;
  open.add(connection);
  return {
    sql: connection,
    async commit() {
      await connection`commit`;
      open.delete(connection);
      connection.release();
    },
  };
}

/**
 * Resolves once `request` has answered or is waiting for a list's audience lock (drizzle/0011),
 * whichever comes first: "settled" says the membership change did not wait for the open writer.
 */
async function answeredOrWaiting(request: Promise<unknown>): Promise<"settled" | "waiting"> {
  let settled = false;
  void request.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (settled) return "settled";
    const [row] = await writer`select exists (select 1 from pg_locks l join pg_database d on d.oid = l.database
      where d.datname = current_database() and l.locktype = 'advisory' and l.classid = 26001 and not l.granted) as waiting`;
    if (row!.waiting) return "waiting";
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the request neither answered nor waited for the list's writers within 10 s");
}

const removal = (by: Person, listId: string, member: Person) =>
  by.call({ method: "DELETE", url: `/api/v1/lists/${listId}/members/${member.id}` });

describe.skipIf(skipReason !== null)("writers of a shared list racing its membership", () => {
  it("a member removed while a write is in flight gets that write before list.deleted, and nothing after", async () => {
    const owner = await person(t);
    const editor = await person(t);
    const member = await person(t);
    const list = await createList(owner);
    await share(owner, list.id, editor, "editor");
    await share(owner, list.id, member, "viewer");
    const todo = await createTodo(editor, { title: "Before", listId: list.id });

    // The editor's write: its trigger reads the list's members (the viewer among them) and appends
    // their entries, then its transaction stays open.
    const write = await openTransaction();
    await write.sql`update todos set title = 'In flight', version = version + 1, updated_at = now()
      where user_id = ${owner.id} and id = ${todo.id}`;
    const removing = removal(owner, list.id, member);
    const state = await answeredOrWaiting(removing);
    // The member reads their feed meanwhile: whatever is committed gets its seqs now.
    await changesOf(member);
    await write.commit();
    expect((await removing).statusCode).toBe(204);

    const feed = (await changesOf(member)).changes;
    const tombstone = feed.findIndex((change) => change.type === "list.deleted" && change.id === list.id);
    expect(feed.slice(tombstone).map((change) => change.type)).toEqual(["list.deleted"]);
    const inFlight = feed.findIndex((change) => change.id === todo.id && change.data?.title === "In flight");
    expect(inFlight).toBeGreaterThanOrEqual(0);
    expect(inFlight).toBeLessThan(tombstone);
    // It took effect once the writer had committed, not before.
    expect(state).toBe("waiting");
    // Later writes reach the others and not them.
    await createTodo(editor, { title: "After", listId: list.id });
    expect((await changesOf(member)).changes.at(-1)).toMatchObject({ type: "list.deleted", id: list.id });
    expect((await changesOf(editor)).changes.at(-1)).toMatchObject({ type: "todo.upserted", data: { title: "After" } });
  });

  it("a member who leaves while a write to the list is in flight gets nothing after their list.deleted", async () => {
    const owner = await person(t);
    const member = await person(t);
    const list = await createList(owner);
    await share(owner, list.id, member, "editor");
    const todo = await createTodo(owner, { title: "Before", listId: list.id });

    const write = await openTransaction();
    await write.sql`delete from todos where user_id = ${owner.id} and id = ${todo.id}`;
    const leaving = removal(member, list.id, member);
    await answeredOrWaiting(leaving);
    await changesOf(member);
    await write.commit();
    expect((await leaving).statusCode).toBe(204);

    const feed = (await changesOf(member)).changes;
    expect(feed.at(-1)).toMatchObject({ type: "list.deleted", id: list.id });
    expect(feed.at(-2)).toMatchObject({ type: "todo.deleted", id: todo.id });
  });

  it("an invitee who accepts while a todo is being created gets that todo", async () => {
    const owner = await person(t);
    const invitee = await person(t);
    const list = await createList(owner);
    await createTodo(owner, { title: "Already there", listId: list.id });
    const invitation = await invite(owner, list.id, invitee, "editor");

    // A todo created in the list: its trigger finds no member to fan out to (the invitee has not
    // joined), and the row is not committed, so an accept that went ahead would not copy it.
    const write = await openTransaction();
    const created = uuidv7();
    await write.sql`insert into todos (user_id, id, title, position, created_at, updated_at, list_id, created_by)
      values (${owner.id}, ${created}, 'Created meanwhile', 1e6, now(), now(), ${list.id}, ${owner.id})`;
    const accepting = invitee.call({ method: "POST", url: `/api/v1/invitations/${invitation.id}/accept` });
    const state = await answeredOrWaiting(accepting);
    await write.commit();
    expect((await accepting).statusCode).toBe(200);

    const feed = (await changesOf(invitee)).changes;
    expect(feed.filter((change) => change.id === created).map((change) => change.data?.title)).toEqual([
      "Created meanwhile",
    ]);
    expect(feed.some((change) => change.type === "todo.upserted" && change.data?.title === "Already there")).toBe(true);
    expect(state).toBe("waiting");
  });

  it("an invitee who accepts while a todo is being edited gets its edited state last", async () => {
    const owner = await person(t);
    const invitee = await person(t);
    const list = await createList(owner);
    const todo = await createTodo(owner, { title: "Before", listId: list.id });
    const invitation = await invite(owner, list.id, invitee, "viewer");

    const write = await openTransaction();
    await write.sql`update todos set title = 'Edited meanwhile', version = version + 1, updated_at = now()
      where user_id = ${owner.id} and id = ${todo.id}`;
    const accepting = invitee.call({ method: "POST", url: `/api/v1/invitations/${invitation.id}/accept` });
    await answeredOrWaiting(accepting);
    await write.commit();
    expect((await accepting).statusCode).toBe(200);

    const seen = (await changesOf(invitee)).changes.filter((change) => change.id === todo.id);
    expect(seen.at(-1)?.data?.title).toBe("Edited meanwhile");
  });

  it("a removal does not wait for a writer holding a todo assigned to the member; that writer's write unassigns it", async () => {
    const owner = await person(t);
    const member = await person(t);
    const list = await createList(owner);
    await share(owner, list.id, member, "editor");
    const todo = await createTodo(owner, { title: "Theirs", listId: list.id, assigneeId: member.id });

    // A writer holds the row (as a move does before it writes) and will write it after the removal.
    const write = await openTransaction();
    await write.sql`select 1 from todos where user_id = ${owner.id} and id = ${todo.id} for update`;
    const removing = removal(owner, list.id, member);
    expect(await answeredOrWaiting(removing)).toBe("settled");
    expect((await removing).statusCode).toBe(204);
    await write.sql`update todos set title = 'Written after', version = version + 1 where user_id = ${owner.id} and id = ${todo.id}`;
    await write.commit();

    const read = await owner.call({ method: "GET", url: `/api/v1/todos/${todo.id}` });
    expect(read.json()).toMatchObject({ title: "Written after", assigneeId: null });
    expect((await changesOf(member)).changes.at(-1)).toMatchObject({ type: "list.deleted", id: list.id });
  });

  it("an assignment checked before a removal and written after it leaves the todo unassigned", async () => {
    const owner = await person(t);
    const member = await person(t);
    const list = await createList(owner);
    await share(owner, list.id, member, "editor");
    const todo = await createTodo(owner, { title: "To assign", listId: list.id });

    // A removal under way (as sharing.ts does it): the membership row is gone but not committed, so
    // the API's check still finds the member, and its write waits for the list's audience lock.
    const removing = await openTransaction();
    await removing.sql`select taskvault_lock_list_audience(${owner.id}, ${list.id})`;
    await removing.sql`delete from list_members where owner_id = ${owner.id} and list_id = ${list.id} and member_id = ${member.id}`;
    const assigning = owner.call({
      method: "PATCH",
      url: `/api/v1/todos/${todo.id}`,
      payload: { assigneeId: member.id },
    });
    expect(await answeredOrWaiting(assigning)).toBe("waiting");
    await removing.commit();

    const assigned = await assigning;
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect(assigned.json().assigneeId).toBeNull();
    expect((await changesOf(member)).changes.at(-1)).toMatchObject({ type: "list.deleted", id: list.id });
  });

  it("a writer deleting todos statement by statement while a member is removed finishes, as does the removal", async () => {
    const owner = await person(t);
    const member = await person(t);
    const list = await createList(owner);
    await share(owner, list.id, member, "editor");
    const first = await createTodo(owner, { title: "First", listId: list.id });
    const second = await createTodo(owner, { title: "Second", listId: list.id });
    // Assigned to the member: the removal clears it, and deleting `second` deletes it (a subtask).
    await createTodo(owner, { title: "Subtask", listId: list.id, parentId: second.id, assigneeId: member.id });

    const write = await openTransaction();
    await write.sql`delete from todos where user_id = ${owner.id} and id = ${first.id}`;
    const removing = removal(owner, list.id, member);
    expect(await answeredOrWaiting(removing)).toBe("waiting");
    // The writer, holding the list's audience lock (shared) since its first statement, now needs the
    // subtask's row: a removal that had cleared the subtask before waiting for the lock would hold it.
    await write.sql`delete from todos where user_id = ${owner.id} and id = ${second.id}`;
    await write.commit();
    expect((await removing).statusCode).toBe(204);
    const feed = (await changesOf(member)).changes;
    expect(feed.at(-1)).toMatchObject({ type: "list.deleted", id: list.id });
    expect(feed.filter((change) => change.type === "todo.deleted").length).toBe(3);
  });

  it("removals, leaves, role changes, accepts and writes of one list at once all complete, without deadlock", async () => {
    for (let round = 0; round < 4; round++) {
      const owner = await person(t);
      const list = await createList(owner);
      const [removed, leaver, promoted, writerMember] = await Promise.all([person(t), person(t), person(t), person(t)]);
      for (const member of [removed, leaver, promoted, writerMember]) await share(owner, list.id, member, "editor");
      const joiners = await Promise.all([person(t), person(t)]);
      const invitations = await Promise.all(joiners.map((joiner) => invite(owner, list.id, joiner, "editor")));
      // Todos assigned to the members who go: their removal clears these, while others write them.
      const assigned = [];
      for (const [index, assignee] of [removed, leaver, removed, leaver, promoted].entries()) {
        const parent = await createTodo(owner, {
          title: `Assigned ${index}`,
          listId: list.id,
          assigneeId: assignee.id,
        });
        await createTodo(writerMember, {
          title: `Sub ${index}`,
          listId: list.id,
          parentId: parent.id,
          assigneeId: assignee.id,
        });
        assigned.push(parent);
      }
      await createTodo(owner, { title: "Done", listId: list.id, completed: true });

      const calls = [
        removal(owner, list.id, removed),
        removal(leaver, list.id, leaver),
        owner.call({
          method: "PATCH",
          url: `/api/v1/lists/${list.id}/members/${promoted.id}`,
          payload: { role: "viewer" },
        }),
        ...joiners.map((joiner, index) =>
          joiner.call({ method: "POST", url: `/api/v1/invitations/${invitations[index]!.id}/accept` }),
        ),
        ...assigned.map((todo, index) =>
          (index % 2 ? owner : writerMember).call({
            method: "PATCH",
            url: `/api/v1/todos/${todo.id}`,
            payload: { title: `Edited ${index}`, ...(index === 4 ? { assigneeId: removed.id } : {}) },
          }),
        ),
        writerMember.call({ method: "POST", url: "/api/v1/todos", payload: { title: "New", listId: list.id } }),
        owner.call({ method: "POST", url: "/api/v1/todos/complete-all" }),
        owner.call({ method: "DELETE", url: "/api/v1/todos?status=completed" }),
        owner.call({ method: "PATCH", url: `/api/v1/lists/${list.id}`, payload: { name: `Renamed ${round}` } }),
      ];
      const responses = await Promise.all(calls);
      const failed = responses.filter((response) => response.statusCode >= 500);
      expect(failed.map((response) => response.body)).toEqual([]);

      for (const gone of [removed, leaver]) {
        expect((await changesOf(gone)).changes.at(-1)).toMatchObject({ type: "list.deleted", id: list.id });
      }
      for (const joiner of joiners) {
        const listed = await joiner.call({ method: "GET", url: `/api/v1/todos?listId=${list.id}&limit=100` });
        const fromFeed = new Map<string, string | undefined>();
        for (const change of (await changesOf(joiner)).changes) {
          if (change.type === "todo.upserted") fromFeed.set(change.id, JSON.stringify(change.data));
          if (change.type === "todo.deleted") fromFeed.delete(change.id);
        }
        // What the feed gave the joiner is what the list holds, each todo in its latest state.
        const items = listed.json().items as { id: string; version: number }[];
        expect([...fromFeed.keys()].sort()).toEqual(items.map((item) => item.id).sort());
        for (const item of items) expect(JSON.parse(fromFeed.get(item.id)!).version).toBe(item.version);
      }
    }
  });
});
