// What each scenario sends, for each kind of target. Every target is given the same users and
// todos; only how the caller is named differs (Bearer token, session cookie, or a bare header).

/** Where the todo collection lives and how a user is named, per target. */
const TARGETS = {
  api: { path: "/api/v1/todos", who: (user) => ({ authorization: `Bearer ${user.token}` }) },
  authOff: { path: "/api/v1/todos", who: (user) => ({ "x-user-id": user.id }) },
  baseline: { path: "/todos", who: (user) => ({ "x-user-id": user.id }) },
  bff: { path: "/api/todos", who: (user) => ({ cookie: `tv_at=${user.token}` }) },
};

function roundRobin(items) {
  let next = 0;
  return () => items[next++ % items.length];
}

/** Request specs for autocannon; `fixture` = { listUsers, writeUsers, floodUser, password }. */
export function requestsFor(scenario, kind, fixture) {
  const target = TARGETS[kind];
  const nextReader = roundRobin(fixture.listUsers);
  const nextWriter = roundRobin(fixture.writeUsers);
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
    case "mixed":
      // 80 % reads, 20 % writes (half creates, half toggles), in the order each connection cycles.
      return [list, list, list, list, create, list, list, list, list, toggle];
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
