import type {
  CreateList,
  DeleteListQuery,
  List,
  ListCollection,
  ListColor,
  ListRole,
  UpdateList,
} from "@taskvault/contract/lists";
import { and, count, eq, getTableColumns, sql } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import type { Database, Executor } from "../db/client.ts";
import { rowsOf } from "../db/rows.ts";
import { listMembers, lists, todos } from "../db/schema.ts";
import { type IfMatch, versionCondition } from "../db/versions.ts";
import { AppError } from "../errors.ts";
import type { ListGrant } from "../sharing/access.ts";

type ListRow = typeof lists.$inferSelect;

const UNIQUE_VIOLATION = "23505";

/** The caller's view of a list: its role, and how many people see it (1: not shared). */
export interface ListAccess {
  role: ListRole;
  memberCount: number;
}
const OWN_LIST: ListAccess = { role: "owner", memberCount: 1 };

export function toList(row: ListRow, access: ListAccess = OWN_LIST): List {
  return {
    id: row.id,
    name: row.name,
    color: row.color as ListColor | null,
    position: row.position,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
    role: access.role,
    memberCount: access.memberCount,
  };
}

const notFound = () => new AppError("not_found", "No such list");
const nameTaken = () =>
  new AppError("conflict", "You already have a list with this name", {
    errors: { name: ["You already have a list with this name"] },
  });

function isUniqueViolation(error: unknown): boolean {
  for (let current: unknown = error; current; current = (current as { cause?: unknown }).cause) {
    if ((current as { code?: unknown }).code === UNIQUE_VIOLATION) return true;
  }
  return false;
}

/** Names are unique per user regardless of case; the unique index decides, even under races. */
async function guardName<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken();
    throw error;
  }
}

/** The caller's role in a list of `ownerId`'s and how many people see it. */
export async function listAccessOf(
  db: Executor,
  ownerId: string,
  listId: string,
  callerId: string,
): Promise<ListAccess> {
  const members = await db
    .select({ memberId: listMembers.memberId, role: listMembers.role })
    .from(listMembers)
    .where(and(eq(listMembers.ownerId, ownerId), eq(listMembers.listId, listId)));
  const role =
    callerId === ownerId ? "owner" : ((members.find((m) => m.memberId === callerId)?.role ?? "viewer") as ListRole);
  return { role, memberCount: members.length + 1 };
}

/**
 * The caller's lists in their order, then the lists shared with them (in their owners' order),
 * each with how many todos it holds, how many are open, the caller's role and the member count.
 * The shared ones are found from the member's side (list_members_member_idx), then read where
 * their owners' rows are.
 */
export async function listLists(db: Database, userId: string): Promise<ListCollection> {
  const rows = await db
    .select({
      ...getTableColumns(lists),
      todoCount: count(todos.id),
      activeCount: sql<number>`count(${todos.id}) filter (where not ${todos.completed})`.mapWith(Number),
    })
    .from(lists)
    .leftJoin(todos, and(eq(todos.userId, lists.userId), eq(todos.listId, lists.id)))
    .where(eq(lists.userId, userId))
    .groupBy(lists.userId, lists.id)
    .orderBy(lists.position, lists.id);
  const access = rowsOf<{ owner_id: string; list_id: string; role: ListRole; members: number | string }>(
    await db.execute(sql`
      select owner_id, list_id, 'owner' as role, count(*) + 1 as members from list_members
        where owner_id = ${userId} group by owner_id, list_id
      union all
      select mine.owner_id, mine.list_id, mine.role,
        (select count(*) + 1 from list_members every where every.owner_id = mine.owner_id and every.list_id = mine.list_id)
        from list_members mine where mine.member_id = ${userId}`),
  );
  const accessOf = new Map(access.map((row) => [row.list_id, { role: row.role, memberCount: Number(row.members) }]));
  const shared = access.filter((row) => row.role !== "owner");
  const sharedRows =
    shared.length === 0
      ? []
      : await db
          .select({
            ...getTableColumns(lists),
            todoCount: count(todos.id),
            activeCount: sql<number>`count(${todos.id}) filter (where not ${todos.completed})`.mapWith(Number),
          })
          .from(lists)
          .leftJoin(todos, and(eq(todos.userId, lists.userId), eq(todos.listId, lists.id)))
          .where(
            sql`(${lists.userId}, ${lists.id}) in (${sql.join(
              shared.map((row) => sql`(${row.owner_id}::uuid, ${row.list_id}::uuid)`),
              sql`, `,
            )})`,
          )
          .groupBy(lists.userId, lists.id)
          .orderBy(lists.position, lists.id);
  return {
    items: [...rows, ...sharedRows].map((row) => ({
      ...toList(row, accessOf.get(row.id)),
      todoCount: row.todoCount,
      activeCount: row.activeCount,
    })),
  };
}

export async function getList(db: Executor, grant: ListGrant): Promise<List> {
  const [row] = await db
    .select()
    .from(lists)
    .where(and(eq(lists.userId, grant.ownerId), eq(lists.id, grant.listId)));
  if (!row) throw notFound();
  return toList(row, await listAccessOf(db, grant.ownerId, grant.listId, grant.callerId));
}

/** New lists go last. */
const nextPosition = (userId: string) =>
  sql`(select coalesce(max(${lists.position}), 0) + 1 from ${lists} where ${lists.userId} = ${userId})`;

export async function createList(db: Executor, userId: string, input: CreateList): Promise<List> {
  const now = new Date();
  const [row] = await guardName(
    db
      .insert(lists)
      .values({
        userId,
        id: uuidv7(),
        name: input.name,
        color: input.color ?? null,
        position: input.position ?? nextPosition(userId),
        createdAt: now,
        updatedAt: now,
        version: 1,
      })
      .returning(),
  );
  return toList(row!);
}

const stale = () =>
  new AppError("precondition_failed", "The list changed since you loaded it; reload it and try again");

export async function updateList(db: Database, grant: ListGrant, input: UpdateList, ifMatch?: IfMatch): Promise<List> {
  const { ownerId: userId, listId: id } = grant;
  const changes = {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.color !== undefined && { color: input.color }),
    ...(input.position !== undefined && { position: input.position }),
  };
  if (Object.keys(changes).length === 0) {
    const current = await getList(db, grant);
    if (versionMismatch(ifMatch, current.version)) throw stale();
    return current;
  }
  const [row] = await guardName(
    db
      .update(lists)
      .set({ ...changes, updatedAt: new Date(), version: sql`${lists.version} + 1` })
      .where(and(eq(lists.userId, userId), eq(lists.id, id), versionCondition(lists.version, ifMatch)))
      .returning(),
  );
  if (!row) {
    await getList(db, grant);
    throw stale();
  }
  return toList(row, await listAccessOf(db, userId, id, grant.callerId));
}

const versionMismatch = (ifMatch: IfMatch, version: number) =>
  ifMatch !== undefined && ifMatch !== "any" && !ifMatch.includes(version);

/**
 * Deletes a list. Its todos go with it (`todos=delete`, subtasks included) or move to the Inbox
 * (`todos=inbox`); a list that still holds todos and says neither is a 409, so nothing is lost
 * by accident.
 */
export async function deleteList(
  db: Database,
  grant: ListGrant,
  query: DeleteListQuery,
  ifMatch?: IfMatch,
): Promise<void> {
  const { ownerId: userId, listId: id } = grant;
  await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(lists)
      .where(and(eq(lists.userId, userId), eq(lists.id, id)))
      .for("update");
    if (!row) throw notFound();
    if (versionMismatch(ifMatch, row.version)) throw stale();
    const inList = and(eq(todos.userId, userId), eq(todos.listId, id));
    if (query.todos === "delete") {
      await tx.delete(todos).where(inList);
    } else if (query.todos === "inbox") {
      await tx
        .update(todos)
        .set({ listId: null, updatedAt: new Date(), version: sql`${todos.version} + 1` })
        .where(inList);
    } else {
      const [held] = await tx.select({ count: count() }).from(todos).where(inList);
      if (held && held.count > 0) {
        throw new AppError(
          "conflict",
          "The list still has todos: delete it with ?todos=delete to delete them too, or ?todos=inbox to move them to the Inbox",
        );
      }
    }
    await tx.delete(lists).where(and(eq(lists.userId, userId), eq(lists.id, id)));
  });
}
