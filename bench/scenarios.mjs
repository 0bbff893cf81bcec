// What each scenario sends, for each kind of target. Every target is given the same users and
// todos; only how the caller is named differs (Bearer token, session cookie, or a bare header).

/** Where the todo collection lives and how a user is named, per target. */
const TARGETS = {
  api: { path: "/api/v1/todos", who: (user) => ({ authorization: `Bearer ${user.token}` }) },
  // Issue 17: the same API, the caller named by a read-only API token (tvk_…) instead of a JWT.
  apiToken: { path: "/api/v1/todos", who: (user) => ({ authorization: `Bearer ${user.apiToken}` }) },
  authOff: { path: "/api/v1/todos", who: (user) => ({ "x-user-id": user.id }) },
  baseline: { path: "/todos", who: (user) => ({ "x-user-id": user.id }) },
  naive: { path: "/todos", who: (user) => ({ "x-user-id": user.id }) },
  bff: { path: "/api/todos", who: (user) => ({ cookie: `tv_at=${user.token}` }) },
};

function roundRobin(items) {
  let next = 0;
  return () => items[next++ % items.length];
}

/**
 * One GET of the shared-lists scenario. Owners and members take turns; a member reads each owner's
 * list in turn, so that over a run the same rows are read by their owners and by members alike.
 */
function sharedRead(scenario, target, shared) {
  const nextOwner = roundRobin(shared.owners);
  const nextMember = roundRobin(shared.members);
  const lists = shared.owners.map((owner) => owner.listId);
  const nextList = roundRobin(lists);
  return {
    method: "GET",
    path: target.path,
    setupRequest: (request) => {
      const member = scenario.startsWith("sharedMember");
      const user = member ? nextMember() : nextOwner();
      const listId = member ? nextList() : user.listId;
      const path = scenario.endsWith("List") ? `${target.path}?listId=${listId}` : target.path;
      return { ...request, path, headers: target.who(user) };
    },
  };
}

/**
 * A member creating a todo in a shared list (issue 18): the owner's entry and one per member (4 in the
 * seeded lists) in the change log, under the list's audience lock (drizzle/0011). Members and lists
 * take turns.
 */
function sharedCreate(target, shared) {
  const nextMember = roundRobin(shared.members);
  const nextList = roundRobin(shared.owners.map((owner) => owner.listId));
  return {
    method: "POST",
    path: target.path,
    setupRequest: (request) => ({
      ...request,
      headers: { ...target.who(nextMember()), "content-type": "application/json" },
      body: JSON.stringify({ title: "Benchmark todo in a shared list", listId: nextList() }),
    }),
  };
}

/** Request specs for autocannon; `fixture` = { listUsers, writeUsers, floodUser, password }. */
export function requestsFor(scenario, kind, fixture) {
  const target = TARGETS[kind];
  const nextReader = roundRobin(fixture.listUsers);
  const nextWriter = roundRobin(fixture.writeUsers);
  const nextOfCrowd = roundRobin(fixture.crowd ?? []);
  const toggles = fixture.writeUsers.flatMap((user) => user.todoIds.map((id) => ({ user, id, completed: false })));
  const nextToggle = roundRobin(toggles);

  const list = {
    method: "GET",
    path: target.path,
    setupRequest: (request) => ({ ...request, headers: target.who(nextReader()) }),
  };
  const create = {
    method: "POST",
    path: target.path,
    setupRequest: (request) => ({
      ...request,
      headers: { ...target.who(nextWriter()), "content-type": "application/json" },
      body: JSON.stringify({ title: "Benchmark todo", tags: ["bench"] }),
    }),
  };
  // One user writing on every connection at once.
  const soloCreate = {
    ...create,
    setupRequest: (request) => ({
      ...create.setupRequest(request),
      headers: { ...target.who(fixture.writeUsers[0]), "content-type": "application/json" },
    }),
  };
  // Many users writing at once: each request is the next user's of the crowd.
  const crowdCreate = {
    ...create,
    setupRequest: (request) => ({
      ...create.setupRequest(request),
      headers: { ...target.who(nextOfCrowd()), "content-type": "application/json" },
    }),
  };
  const toggle = {
    method: "PATCH",
    path: target.path,
    setupRequest: (request) => {
      const item = nextToggle();
      item.completed = !item.completed;
      return {
        ...request,
        path: `${target.path}/${item.id}`,
        headers: { ...target.who(item.user), "content-type": "application/json" },
        body: JSON.stringify({ completed: item.completed }),
      };
    },
  };
  switch (scenario) {
    case "list":
      return [list];
    case "create":
      return [create];
    case "toggle":
      return [toggle];
    case "solo":
      return [soloCreate];
    case "crowd":
      return [crowdCreate];
    case "mixed":
      // 80 % reads, 20 % writes (half creates, half toggles), in the order each connection cycles.
      return [list, list, list, list, create, list, list, list, list, toggle];
    // Shared lists (issue 18), API only: the owners' own list, a member's view of one of those
    // lists, and the whole todo list of an owner (one list) and of a member (every shared list).
    case "sharedOwnList":
    case "sharedMemberList":
    case "sharedOwnAll":
    case "sharedMemberAll":
      return [sharedRead(scenario, target, fixture.shared)];
    case "sharedCreate":
      return [sharedCreate(target, fixture.shared)];
    case "signin":
      return [
        {
          method: "POST",
          path: "/api/v1/auth/signin",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email: fixture.floodUser.email, password: fixture.password }),
        },
      ];
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
}
