// Isolation of shared lists as a matrix: every route that touches a list or a todo (read from
// Fastify's route table, so a new route without a case here fails the first test) × every
// relation to a shared list (owner, editor, viewer, removed member, invited but not accepted,
// stranger), each cell on a world of its own, with the exact status; strangers' 404/422 bodies are
// compared with those for ids that do not exist.
import type { InjectOptions, LightMyRequestResponse } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen, openStream } from "../changes/sse.ts";
import { buildTestApp, type TestApp } from "../helpers/app.ts";
import { declaredRoutes } from "../helpers/routes.ts";
import { createList, createTodo, invite, type Person, person, removeMember, share } from "./world.ts";

const ROLES = ["owner", "editor", "viewer", "removed", "invited", "stranger"] as const;
type Role = (typeof ROLES)[number];
const MEMBERS: Role[] = ["owner", "editor", "viewer"];

/** The prefixes and routes that touch lists or todos. */
const TOUCHES = (url: string) =>
  ["/api/v1/todos", "/api/v1/lists", "/api/v1/invitations"].some(
    (prefix) => url === prefix || url.startsWith(`${prefix}/`),
  ) || ["/api/v1/changes", "/api/v1/events", "/api/v1/export", "/api/v1/import"].includes(url);

/** One cell's world: the owner's shared list with a todo, its subtask and a completed todo. */
interface World {
  role: Role;
  actor: Person;
  list: string;
  todo: string;
  sub: string;
  done: string;
  /** The actor's own list and todo (move into / out of). */
  mine: string;
  ownTodo: string;
  bystander: string;
  invitation: string | null;
  /** A word only this world's todo titles hold. */
  token: string;
  /** The actor's change-log position before the world was made (cases that read the log). */
  since: number;
}

const status = (ok: number, pattern: "read" | "write" | "manage" | "body" | "caller"): Record<Role, number> => {
  const outsider = pattern === "body" ? 422 : 404;
  return {
    owner: ok,
    editor: pattern === "manage" ? 403 : ok,
    viewer: pattern === "read" || pattern === "caller" ? ok : 403,
    removed: pattern === "caller" ? ok : outsider,
    invited: pattern === "caller" ? ok : outsider,
    stranger: pattern === "caller" ? ok : outsider,
  };
};

interface Case {
  route: string;
  name: string;
  request: (w: World) => InjectOptions;
  expected: Record<Role, number>;
  /** Sees the shared list's rows in the answer: checked for every role. */
  check?: (w: World, response: LightMyRequestResponse, t: TestApp) => void | Promise<void>;
  readsLog?: boolean;
}

/** The actor's whole log from `since`, page by page, and where it ends. */
async function logOf(actor: Person, since = 0) {
  const changes: { seq: number; type: string; id: string }[] = [];
  let position = since;
  for (;;) {
    const page = (await actor.call({ method: "GET", url: `/api/v1/changes?since=${position}` })).json();
    changes.push(...page.changes);
    position = page.seq;
    if (!page.hasMore) return { changes, seq: position };
  }
}

const sees = (w: World) => MEMBERS.includes(w.role);
const ids = (response: LightMyRequestResponse) => (response.json().items as { id: string }[]).map((item) => item.id);
const ownerGet = async (_t: TestApp, owner: Person, url: string) => owner.call({ method: "GET", url });

let owner: Person;
let bystander: Person;
const actors = {} as Record<Role, Person>;

const CASES: Case[] = [
  {
    route: "GET /api/v1/todos",
    name: "filter by the list",
    request: (w) => ({ method: "GET", url: `/api/v1/todos?listId=${w.list}` }),
    expected: status(200, "caller"),
    check: (w, r) => expect(ids(r).includes(w.todo)).toBe(sees(w)),
  },
  {
    route: "GET /api/v1/todos",
    name: "search, sort and page over everything visible",
    request: (w) => ({ method: "GET", url: `/api/v1/todos?q=${w.token}&sort=title&limit=1` }),
    expected: status(200, "caller"),
    check: async (w, r) => {
      const first = ids(r);
      expect(first).toEqual(sees(w) ? [w.done] : []);
      expect(r.json().nextCursor === null).toBe(!sees(w));
    },
  },
  {
    route: "GET /api/v1/todos",
    name: "subtasks of the shared todo",
    request: (w) => ({ method: "GET", url: `/api/v1/todos?parentId=${w.todo}&status=active&priority=none` }),
    expected: status(200, "caller"),
    check: (w, r) => expect(ids(r)).toEqual(sees(w) ? [w.sub] : []),
  },
  {
    route: "GET /api/v1/todos",
    name: "assigned to me",
    request: () => ({ method: "GET", url: "/api/v1/todos?assignee=me&due=none" }),
    expected: status(200, "caller"),
    check: (w, r) => expect(ids(r).includes(w.todo)).toBe(w.role === "editor"),
  },
  {
    route: "POST /api/v1/todos",
    name: "create into the list",
    request: (w) => ({ method: "POST", url: "/api/v1/todos", payload: { title: "New", listId: w.list } }),
    expected: status(201, "body"),
  },
  {
    route: "POST /api/v1/todos",
    name: "create a subtask of the shared todo",
    request: (w) => ({ method: "POST", url: "/api/v1/todos", payload: { title: "New sub", parentId: w.todo } }),
    expected: status(201, "body"),
    check: (w, r) => {
      if (r.statusCode === 201) expect(r.json().listId).toBe(w.list);
    },
  },
  {
    route: "POST /api/v1/todos/complete-all",
    name: "complete all",
    request: () => ({ method: "POST", url: "/api/v1/todos/complete-all" }),
    expected: status(200, "caller"),
    check: async (w, r, t) => {
      const todo = (await ownerGet(t, owner, `/api/v1/todos/${w.todo}`)).json();
      expect(todo.completed).toBe(w.role === "owner");
      expect(r.json().updated).toBeGreaterThan(0);
    },
  },
  {
    route: "DELETE /api/v1/todos",
    name: "delete completed",
    request: () => ({ method: "DELETE", url: "/api/v1/todos?status=completed" }),
    expected: status(200, "caller"),
    check: async (w, _r, t) =>
      expect((await ownerGet(t, owner, `/api/v1/todos/${w.done}`)).statusCode).toBe(w.role === "owner" ? 404 : 200),
  },
  {
    route: "POST /api/v1/todos/parse",
    name: "parse with #List",
    request: () => ({ method: "POST", url: "/api/v1/todos/parse", payload: { text: "Milk #Shared !high" } }),
    expected: status(200, "caller"),
    // The name as typed, the same for every role: parsing reveals nothing of whose lists exist. The
    // client resolves it to a list the caller may write to (web writableListNamed): create into.
    check: (_w, r) =>
      expect(r.json()).toEqual({
        title: "Milk",
        dueAt: null,
        recurrence: null,
        listName: "Shared",
        tags: [],
        priority: "high",
      }),
  },
  {
    route: "GET /api/v1/todos/:id",
    name: "read the todo",
    request: (w) => ({ method: "GET", url: `/api/v1/todos/${w.todo}` }),
    expected: status(200, "read"),
  },
  {
    route: "PATCH /api/v1/todos/:id",
    name: "change the todo",
    request: (w) => ({ method: "PATCH", url: `/api/v1/todos/${w.todo}`, payload: { title: "Changed" } }),
    expected: status(200, "write"),
  },
  {
    route: "PATCH /api/v1/todos/:id",
    name: "complete the todo",
    request: (w) => ({ method: "PATCH", url: `/api/v1/todos/${w.todo}`, payload: { completed: true } }),
    expected: status(200, "write"),
  },
  {
    route: "PATCH /api/v1/todos/:id",
    name: "move the todo out to the actor's own list",
    request: (w) => ({ method: "PATCH", url: `/api/v1/todos/${w.todo}`, payload: { listId: w.mine } }),
    expected: status(200, "write"),
  },
  {
    route: "PATCH /api/v1/todos/:id",
    name: "move the actor's own todo into the list",
    request: (w) => ({ method: "PATCH", url: `/api/v1/todos/${w.ownTodo}`, payload: { listId: w.list } }),
    expected: status(200, "body"),
  },
  {
    route: "PUT /api/v1/todos/:id",
    name: "replace the todo",
    request: (w) => ({ method: "PUT", url: `/api/v1/todos/${w.todo}`, payload: { title: "Replaced", listId: w.list } }),
    expected: status(200, "write"),
  },
  {
    route: "DELETE /api/v1/todos/:id",
    name: "delete the todo",
    request: (w) => ({ method: "DELETE", url: `/api/v1/todos/${w.todo}` }),
    expected: status(204, "write"),
  },
  {
    route: "GET /api/v1/lists",
    name: "the caller's lists",
    request: () => ({ method: "GET", url: "/api/v1/lists" }),
    expected: status(200, "caller"),
    check: (w, r) => expect(ids(r).includes(w.list)).toBe(sees(w)),
  },
  {
    route: "POST /api/v1/lists",
    name: "create a list",
    request: () => ({ method: "POST", url: "/api/v1/lists", payload: { name: `Mine ${crypto.randomUUID()}` } }),
    expected: status(201, "caller"),
  },
  {
    route: "GET /api/v1/lists/:id",
    name: "read the list",
    request: (w) => ({ method: "GET", url: `/api/v1/lists/${w.list}` }),
    expected: status(200, "read"),
    check: (w, r) => {
      // The owner, the bystander (viewer) and the actor when a member.
      if (r.statusCode === 200)
        expect(r.json()).toMatchObject({ role: w.role, memberCount: w.role === "owner" ? 2 : 3 });
    },
  },
  {
    route: "PATCH /api/v1/lists/:id",
    name: "rename the list",
    request: (w) => ({
      method: "PATCH",
      url: `/api/v1/lists/${w.list}`,
      payload: { name: `Renamed ${crypto.randomUUID()}` },
    }),
    expected: status(200, "manage"),
  },
  {
    route: "DELETE /api/v1/lists/:id",
    name: "delete the list",
    request: (w) => ({ method: "DELETE", url: `/api/v1/lists/${w.list}?todos=delete` }),
    expected: status(204, "manage"),
  },
  {
    route: "POST /api/v1/lists/:id/invitations",
    name: "invite",
    request: (w) => ({
      method: "POST",
      url: `/api/v1/lists/${w.list}/invitations`,
      payload: { email: `new-${crypto.randomUUID()}@example.com`, role: "viewer" },
    }),
    expected: status(201, "manage"),
  },
  {
    route: "GET /api/v1/lists/:id/invitations",
    name: "the list's invitations",
    request: (w) => ({ method: "GET", url: `/api/v1/lists/${w.list}/invitations` }),
    expected: status(200, "manage"),
  },
  {
    route: "GET /api/v1/lists/:id/members",
    name: "the list's members",
    request: (w) => ({ method: "GET", url: `/api/v1/lists/${w.list}/members` }),
    expected: status(200, "read"),
  },
  {
    route: "PATCH /api/v1/lists/:id/members/:userId",
    name: "change a member's role",
    request: (w) => ({
      method: "PATCH",
      url: `/api/v1/lists/${w.list}/members/${w.bystander}`,
      payload: { role: "editor" },
    }),
    expected: status(200, "manage"),
  },
  {
    route: "DELETE /api/v1/lists/:id/members/:userId",
    name: "remove another member",
    request: (w) => ({ method: "DELETE", url: `/api/v1/lists/${w.list}/members/${w.bystander}` }),
    expected: status(204, "manage"),
  },
  {
    route: "DELETE /api/v1/lists/:id/members/:userId",
    name: "leave (remove oneself)",
    request: (w) => ({ method: "DELETE", url: `/api/v1/lists/${w.list}/members/${w.actor.id}` }),
    // The owner is no member to remove (404 from the list's members), members leave.
    expected: { owner: 404, editor: 204, viewer: 204, removed: 404, invited: 404, stranger: 404 },
  },
  {
    route: "GET /api/v1/invitations",
    name: "the caller's invitations",
    request: () => ({ method: "GET", url: "/api/v1/invitations" }),
    expected: status(200, "caller"),
    check: (w, r) => expect(ids(r).includes(w.invitation ?? "none")).toBe(w.role === "invited"),
  },
  {
    route: "POST /api/v1/invitations/:id/accept",
    name: "accept the pending invitation",
    request: (w) => ({ method: "POST", url: `/api/v1/invitations/${w.invitation}/accept` }),
    expected: { owner: 404, editor: 404, viewer: 404, removed: 404, invited: 200, stranger: 404 },
  },
  {
    route: "DELETE /api/v1/invitations/:id",
    name: "decline or withdraw the pending invitation",
    request: (w) => ({ method: "DELETE", url: `/api/v1/invitations/${w.invitation}` }),
    expected: { owner: 204, editor: 404, viewer: 404, removed: 404, invited: 204, stranger: 404 },
  },
  {
    route: "GET /api/v1/changes",
    name: "the change feed",
    request: (w) => ({ method: "GET", url: `/api/v1/changes?since=${w.since}` }),
    expected: status(200, "caller"),
    readsLog: true,
    check: (w, r) => {
      const changes = r.json().changes as { type: string; id: string }[];
      const ofList = changes.filter((change) => change.id === w.list || change.id === w.todo);
      if (sees(w)) expect(ofList.map((change) => change.id)).toContain(w.todo);
      else if (w.role === "removed") expect(changes.filter((c) => c.id === w.list).at(-1)?.type).toBe("list.deleted");
      else expect(ofList).toEqual([]);
      if (w.role === "removed") {
        const tombstone = changes.findIndex((c) => c.type === "list.deleted" && c.id === w.list);
        expect(changes.slice(tombstone + 1).filter((c) => c.id === w.todo)).toEqual([]);
      }
    },
  },
  {
    route: "GET /api/v1/export",
    name: "export",
    request: () => ({ method: "GET", url: "/api/v1/export" }),
    expected: status(200, "caller"),
    check: (w, r) => {
      const document = r.json() as { lists: { id: string }[]; todos: { id: string }[] };
      expect(document.todos.some((todo) => todo.id === w.todo)).toBe(w.role === "owner");
      expect(document.lists.some((list) => list.id === w.list)).toBe(w.role === "owner");
    },
  },
  {
    route: "POST /api/v1/import",
    name: "import never writes into the shared list",
    request: () => ({
      method: "POST",
      url: "/api/v1/import",
      payload: {
        format: "taskvault-export",
        version: 1,
        exportedAt: new Date().toISOString(),
        profile: { name: "x", timezone: "UTC" },
        lists: [],
        todos: [],
      },
    }),
    expected: status(200, "caller"),
    check: async (w, _r, t) => {
      const inList = await ownerGet(t, owner, `/api/v1/todos?listId=${w.list}`);
      expect(ids(inList)).toHaveLength(3);
    },
  },
];

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await buildTestApp();
  base = await listen(t.app);
  owner = await person(t);
  bystander = await person(t);
  for (const role of ROLES) actors[role] = role === "owner" ? owner : await person(t);
});
afterAll(() => t?.close());

async function world(role: Role, { readsLog = false } = {}): Promise<World> {
  const actor = actors[role];
  const since = readsLog ? (await logOf(actor)).seq : 0;
  const token = `w${crypto.randomUUID().slice(0, 8)}`;
  const list = (await createList(owner, `Shared ${crypto.randomUUID()}`)).id;
  const todo = (await createTodo(owner, { title: `${token} todo`, listId: list, assigneeId: null })).id;
  const sub = (await createTodo(owner, { title: `${token} sub`, parentId: todo })).id;
  const done = (await createTodo(owner, { title: `${token} done`, listId: list, completed: true })).id;
  await share(owner, list, bystander, "viewer");
  let invitation: string | null = null;
  if (role === "editor" || role === "viewer") await share(owner, list, actor, role);
  if (role === "removed") {
    await share(owner, list, actor, "editor");
    await removeMember(owner, list, actor);
  }
  if (role === "invited") invitation = (await invite(owner, list, actor, "editor")).id;
  else
    invitation = (await invite(owner, list, { ...actor, email: `other-${crypto.randomUUID()}@example.com` }, "viewer"))
      .id;
  if (role === "editor") {
    const assigned = await owner.call({
      method: "PATCH",
      url: `/api/v1/todos/${todo}`,
      payload: { assigneeId: actor.id },
    });
    expect(assigned.statusCode).toBe(200);
  }
  const mine = (await createList(actor, `Mine ${crypto.randomUUID()}`)).id;
  const ownTodo = (await createTodo(actor, { title: "own todo", listId: mine })).id;
  return { role, actor, list, todo, sub, done, mine, ownTodo, bystander: bystander.id, invitation, token, since };
}

/** The same request with every id of the world replaced by one that does not exist. */
function nonexistent(w: World): World {
  const missing = () => crypto.randomUUID();
  return { ...w, list: missing(), todo: missing(), sub: missing(), done: missing(), invitation: missing() };
}

const problem = (response: LightMyRequestResponse) => {
  const { type, title, status, detail, code, errors } = response.json();
  return { type, title, status, detail, code, errors };
};

describe("shared-list isolation matrix", () => {
  it("has a case for every declared route that touches a list or a todo", () => {
    const routes = declaredRoutes(t.app)
      .map(({ method, url }) => `${method} ${url.replace(/\/$/, "") || "/"}`)
      .filter((route) => TOUCHES(route.split(" ")[1]!));
    const covered = new Set([...CASES.map((c) => c.route), "GET /api/v1/events"]);
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((route) => !covered.has(route))).toEqual([]);
  });

  const cells = CASES.flatMap((c) => ROLES.map((role) => ({ c, role })));
  it(`answers every cell with its exact status (${cells.length} cells + events × ${ROLES.length})`, async () => {
    const failures: string[] = [];
    for (const { c, role } of cells) {
      const w = await world(role, { readsLog: c.readsLog });
      const response = await w.actor.call(c.request(w));
      const label = `${c.route} [${c.name}] as ${role}`;
      if (response.statusCode !== c.expected[role]) {
        failures.push(`${label}: ${response.statusCode} (expected ${c.expected[role]}) ${response.body.slice(0, 200)}`);
        continue;
      }
      try {
        await c.check?.(w, response, t);
        if (role === "stranger" && response.statusCode >= 400) {
          const missing = await w.actor.call(c.request(nonexistent(w)));
          expect(problem(missing), `${label}: same body as a nonexistent id`).toEqual(problem(response));
        }
        if (response.statusCode === 403) expect(response.json().code).toBe("forbidden");
      } catch (error) {
        failures.push(`${label}: ${(error as Error).message.slice(0, 300)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);

  it("streams /events with the shared list's changes to members only, and a tombstone to the removed", async () => {
    for (const role of ROLES) {
      const w = await world(role, { readsLog: true });
      const feed = (await logOf(w.actor, w.since)).changes;
      const stream = await openStream(base, w.actor.session.accessToken, { query: `?since=${w.since}` });
      expect(stream.status).toBe(200);
      const events = feed.length > 0 ? await stream.waitForEvents(feed.length) : [];
      stream.close();
      expect(events.map((event) => Number(event.id))).toEqual(feed.map((change) => change.seq));
      const aboutTodo = events.some((event) => JSON.parse(event.data).id === w.todo);
      expect(aboutTodo, role).toBe(sees(w) || role === "removed");
      if (role === "removed") {
        const last = events.filter((event) => JSON.parse(event.data).id === w.list).at(-1)!;
        expect(last.event).toBe("list.deleted");
      }
    }
  });
});
