// Bench only, never shipped: stands in for apps/api/src/plugins/authenticate.ts in the
// "auth off" build (see build.mjs). The caller is taken from `x-user-id` without any check, so
// the difference to the real build is exactly the cost of authenticating a request.
import fp from "fastify-plugin";

export const authenticatePlugin = fp(async (app, options) => {
  app.decorate("auth", options.auth);
  app.decorateRequest("caller", null);
  app.decorate("authenticate", async (request) => {
    request.caller = { userId: request.headers["x-user-id"], sessionId: "00000000-0000-0000-0000-000000000000" };
  });
});

/** As the real one: every route that is not declared public runs `authenticate` first. */
export function protectRoutes(scope) {
  scope.addHook("onRoute", (route) => {
    if (route.config?.auth === "public") return;
    const hooks = route.onRequest === undefined ? [] : [route.onRequest].flat();
    route.onRequest = [scope.authenticate, ...hooks];
  });
}
