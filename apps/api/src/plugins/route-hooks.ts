import type { RouteOptions } from "fastify";

type HookName = "onRequest" | "preHandler" | "onSend";

/** Adds a hook to a route being declared (in an onRoute hook), after the ones it already has. */
export function appendRouteHook(route: RouteOptions, name: HookName, hook: unknown): void {
  const existing = route[name] as unknown;
  const hooks = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  (route as unknown as Record<HookName, unknown[]>)[name] = [...hooks, hook];
}

/** Adds a hook to a route being declared, before the ones it already has. */
export function prependRouteHook(route: RouteOptions, name: HookName, hook: unknown): void {
  const existing = route[name] as unknown;
  const hooks = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  (route as unknown as Record<HookName, unknown[]>)[name] = [hook, ...hooks];
}
