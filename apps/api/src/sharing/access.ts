// The one answer to "may this user do this to this list or todo" (docs/decisions/026-shared-lists.md).
//
// Every route under /api/v1/todos, /lists and /invitations declares `config.access`; a route
// without it refuses to register (checkAccessDeclared), so no route can forget it. The declared
// targets are resolved by `authorize` before the handler runs, and the handler gets grants
// (request.grants): the only way to learn a shared row's owner, which every statement on
// another user's rows needs (rows lead with their owner, decision 003).
//
// The rule, here and nowhere else: someone who cannot see the list or todo (a stranger, an
// invitee who has not accepted, a removed member) gets exactly what a nonexistent id gets; a
// member whose role is too small gets 403 `forbidden`.
import type { ListRole } from "@taskvault/contract/lists";
import { sql } from "drizzle-orm";
import type { FastifyInstance, FastifyRequest, RouteOptions } from "fastify";
import type { Executor } from "../db/client.ts";
import { rowsOf } from "../db/rows.ts";
import { AppError, validationError } from "../errors.ts";
import { isUuid } from "../ids.ts";
import { prependRouteHook } from "../plugins/route-hooks.ts";

/** read: see it; write: change the list's todos; manage: rename, recolour, delete, members. */
export type Action = "read" | "write" | "manage";

const MAY: Record<ListRole, Record<Action, boolean>> = {
  owner: { read: true, write: true, manage: true },
  editor: { read: true, write: true, manage: false },
  viewer: { read: true, write: false, manage: false },
};

declare const granted: unique symbol;

/** What `authorize` found: whose rows these are and the caller's role. Only this module makes one. */
export interface ListGrant {
  readonly [granted]: true;
  readonly callerId: string;
  readonly ownerId: string;
  readonly listId: string;
  readonly role: ListRole;
}

export interface TodoGrant {
  readonly [granted]: true;
  readonly callerId: string;
  readonly ownerId: string;
  readonly todoId: string;
  /** null: the Inbox (always the caller's own). */
  readonly listId: string | null;
  readonly role: ListRole;
}

const grant = <T>(value: Omit<T, typeof granted>) => value as T;

export const listNotFound = () => new AppError("not_found", "No such list");
export const todoNotFound = () => new AppError("not_found", "No such todo");
const forbidden = (what: string) => new AppError("forbidden", `Your role in this list does not allow you to ${what}`);
const ACTION_WORDS: Record<Action, string> = {
  read: "see it",
  write: "change its todos",
  manage: "change the list or its members",
};

/**
 * The caller's role in a list, or null when they cannot see it. The caller's own lists first (one
 * primary-key probe); then the reverse index of memberships (list_members_member_idx), which names
 * the owner whose rows hold the list.
 */
export async function roleInList(
  db: Executor,
  callerId: string,
  listId: string,
): Promise<{ ownerId: string; role: ListRole } | null> {
  if (!isUuid(listId)) return null;
  const [row] = rowsOf<{ owner_id: string; role: ListRole }>(
    await db.execute(sql`
      select user_id as owner_id, 'owner' as role from lists where user_id = ${callerId} and id = ${listId}
      union all
      select owner_id, role from list_members where member_id = ${callerId} and list_id = ${listId}
      limit 1`),
  );
  return row ? { ownerId: row.owner_id, role: row.role } : null;
}

/** The caller's role for a todo (owner of an Inbox todo), or null when they cannot see it. */
export async function roleForTodo(
  db: Executor,
  callerId: string,
  todoId: string,
): Promise<{ ownerId: string; listId: string | null; role: ListRole } | null> {
  if (!isUuid(todoId)) return null;
  const [row] = rowsOf<{ owner_id: string; list_id: string | null; role: ListRole }>(
    await db.execute(sql`
      select user_id as owner_id, list_id, 'owner' as role from todos where user_id = ${callerId} and id = ${todoId}
      union all
      select t.user_id, t.list_id, m.role from list_members m
        join todos t on t.user_id = m.owner_id and t.list_id = m.list_id and t.id = ${todoId}
        where m.member_id = ${callerId}
      limit 1`),
  );
  return row ? { ownerId: row.owner_id, listId: row.list_id, role: row.role } : null;
}

/**
 * The lists shared with the caller (not their own), from the reverse index: what GET /todos
 * and /lists add to the caller's own rows. Removal deletes the row, so it counts at once.
 */
export async function sharedWith(db: Executor, callerId: string): Promise<{ ownerId: string; listId: string }[]> {
  const rows = rowsOf<{ owner_id: string; list_id: string }>(
    await db.execute(sql`select owner_id, list_id from list_members where member_id = ${callerId}`),
  );
  return rows.map((row) => ({ ownerId: row.owner_id, listId: row.list_id }));
}

/**
 * May `callerId` do `action` to the list? The grant, or 404 (cannot see it: same body as no such
 * list) or 403 forbidden. `asField` answers a list named in a body (listId) instead: 422 with the
 * message of a list that does not exist, as the contract says for bodies.
 */
export async function authorizeList(
  db: Executor,
  callerId: string,
  listId: string,
  action: Action,
  { asField }: { asField?: string } = {},
): Promise<ListGrant> {
  const found = await roleInList(db, callerId, listId);
  if (!found) throw asField ? validationError(asField, "No such list") : listNotFound();
  if (!MAY[found.role][action]) throw forbidden(ACTION_WORDS[action]);
  return grant<ListGrant>({ callerId, ownerId: found.ownerId, listId, role: found.role });
}

export async function authorizeTodo(
  db: Executor,
  callerId: string,
  todoId: string,
  action: Action,
  { asField }: { asField?: string } = {},
): Promise<TodoGrant> {
  const found = await roleForTodo(db, callerId, todoId);
  if (!found) throw asField ? validationError(asField, "No such todo") : todoNotFound();
  if (!MAY[found.role][action]) throw forbidden(ACTION_WORDS[action]);
  return grant<TodoGrant>({ callerId, todoId, ...found });
}

/** The caller's own rows (their Inbox, their lists): a grant that needs no lookup. */
export function ownRows(callerId: string): ListGrant {
  return grant<ListGrant>({ callerId, ownerId: callerId, listId: "", role: "owner" });
}

type Source = "params.id" | "body.listId" | "body.parentId" | "query.listId" | "query.parentId";

/**
 * What a route touches, declared on the route: `{ list: "params.id", action: "manage" }`,
 * `{ todo: "params.id", action: "write" }`, plus lists or parents a body or query names
 * (`also`). `"caller"`: the route acts only on the caller's own data, or on what the visibility
 * rules of its domain function decide (GET /todos, /changes).
 */
export type AccessDeclaration =
  | "caller"
  | {
      list?: "params.id";
      todo?: "params.id";
      action: Action;
      /** Lists or parent todos a body or query names; each needs `action` (write: create into, move into). */
      also?: Source[];
    };

export interface Grants {
  list?: ListGrant;
  todo?: TodoGrant;
  /** Grants for what a body or query names, by source. */
  named: Partial<Record<Source, ListGrant | TodoGrant>>;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** What the route may touch of lists and todos: see sharing/access.ts. Required under ACCESS_PREFIXES. */
    access?: AccessDeclaration;
  }
  interface FastifyRequest {
    /** What `authorize` granted for the route's declared targets. */
    grants: Grants;
    /** Users whose logs a successful write grew besides the audiences of its grants (a removed member). */
    alsoWake: string[] | null;
    /**
     * Lists whose audience a successful write reached without a grant for them (accepting an
     * invitation: the owner and the other members get the new member count). Woken like grants'.
     */
    alsoTouched: { ownerId: string; listId: string }[] | null;
  }
}

const WRITING_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/** Route prefixes whose routes touch lists or todos: each must declare `config.access`. */
export const ACCESS_PREFIXES = ["/api/v1/todos", "/api/v1/lists", "/api/v1/invitations"];

const read = (request: FastifyRequest, source: Source): unknown => {
  const [part, key] = source.split(".") as ["params" | "body" | "query", string];
  const holder = request[part] as Record<string, unknown> | undefined;
  return holder?.[key];
};

/** Resolves the declared targets into grants, before the handler (after validation). */
async function authorize(db: Executor, request: FastifyRequest, access: Exclude<AccessDeclaration, "caller">) {
  const callerId = request.caller.userId;
  const grants: Grants = { named: {} };
  if (access.list) grants.list = await authorizeList(db, callerId, String(read(request, access.list)), access.action);
  if (access.todo) grants.todo = await authorizeTodo(db, callerId, String(read(request, access.todo)), access.action);
  for (const source of access.also ?? []) {
    const id = read(request, source);
    // Absent, null (Inbox / top level) or a keyword (inbox, none): nothing to authorise.
    if (typeof id !== "string" || !isUuid(id)) continue;
    const asField = source.startsWith("body.") ? source.slice(5) : undefined;
    grants.named[source] = source.endsWith("listId")
      ? await authorizeList(db, callerId, id, access.action, { asField })
      : await authorizeTodo(db, callerId, id, access.action, { asField });
  }
  request.grants = grants;
}

/**
 * Every route registered in `scope` under ACCESS_PREFIXES must declare `config.access` (it fails
 * to register otherwise), and gets `authorize` as its first preHandler.
 */
export function enforceAccess(scope: FastifyInstance, db: Executor, publish: (userId: string) => void): void {
  scope.decorateRequest("grants", null as unknown as Grants);
  scope.decorateRequest("alsoWake", null);
  scope.decorateRequest("alsoTouched", null);
  // A write to a shared list grew every member's log (the fan-out, drizzle/0008): wake them all,
  // after the response like the writer's own wake-up (decision 018). Lists of one's own without
  // members cost one index probe here, and only on writes.
  scope.addHook("onResponse", async (request, reply) => {
    if (!WRITING_METHODS.has(request.method) || reply.statusCode >= 400 || !request.caller) return;
    const touched = new Map<string, { ownerId: string; listId: string }>();
    const { grants } = request;
    for (const target of [
      grants?.list,
      grants?.todo,
      ...Object.values(grants?.named ?? {}),
      ...(request.alsoTouched ?? []),
    ]) {
      if (target?.listId)
        touched.set(`${target.ownerId}/${target.listId}`, target as { ownerId: string; listId: string });
    }
    const wake = new Set(request.alsoWake ?? []);
    for (const { ownerId, listId } of touched.values()) {
      wake.add(ownerId);
      const members = rowsOf<{ member_id: string }>(
        await db.execute(sql`select member_id from list_members where owner_id = ${ownerId} and list_id = ${listId}`),
      );
      for (const member of members) wake.add(member.member_id);
    }
    wake.delete(request.caller.userId);
    for (const userId of wake) publish(userId);
  });
  scope.addHook("onRoute", (route: RouteOptions) => {
    const { url } = route;
    if (!ACCESS_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`))) return;
    const access = route.config?.access;
    if (!access) throw new Error(`${String(route.method)} ${url} touches lists or todos but declares no config.access`);
    if (access === "caller") return;
    prependRouteHook(route, "preHandler", async (request: FastifyRequest) => authorize(db, request, access));
  });
}

/** DELETE …/members/{userId}: the owner removes anyone; a member may remove only themself (leave). */
export function mayRemoveMember(grant: ListGrant, memberId: string): void {
  if (grant.role === "owner" || memberId === grant.callerId) return;
  throw forbidden(ACTION_WORDS.manage);
}
