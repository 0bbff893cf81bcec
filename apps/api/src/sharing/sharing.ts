// Invitations and memberships of shared lists (contract "Shared lists (v1.2)"; decision 026).
// Every function takes a grant from sharing/access.ts for the list it touches: whose rows they
// are, and that the caller may.
import type { List, ListRole, MemberRole } from "@taskvault/contract/lists";
import {
  type CreateInvitation,
  INVITATION_TTL_DAYS,
  type Invitation,
  type InvitationCollection,
  type MemberCollection,
} from "@taskvault/contract/sharing";
import { and, eq, inArray, sql } from "drizzle-orm";
import { uuidv7 } from "uuidv7";
import type { Database, Executor } from "../db/client.ts";
import { rowsOf } from "../db/rows.ts";
import { listInvitations, listMembers, lists, todos, users } from "../db/schema.ts";
import { AppError, validationError } from "../errors.ts";
import { isUuid } from "../ids.ts";
import { listAccessOf, toList } from "../lists/lists.ts";
import type { ClaimedMessage } from "../mail/outbox.ts";
import { enqueueMessage } from "../mail/outbox.ts";
import { listInvitationMessage, type MessageContext, type OutgoingMessage } from "../mail/templates.ts";
import type { ListGrant } from "./access.ts";
import { mayRemoveMember } from "./access.ts";

const DAY_MS = 24 * 3600_000;
const invitationNotFound = () => new AppError("not_found", "No such invitation");
const memberNotFound = () => new AppError("not_found", "No such member");

interface InvitationRow {
  owner_id: string;
  id: string;
  list_id: string;
  list_name: string;
  email: string;
  role: MemberRole;
  inviter_name: string;
  inviter_email: string;
  created_at: string | Date;
  expires_at: string | Date;
}

const iso = (value: string | Date) => new Date(value).toISOString();

function toInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    listId: row.list_id,
    listName: row.list_name,
    email: row.email,
    role: row.role,
    invitedBy: { name: row.inviter_name, email: row.inviter_email },
    createdAt: iso(row.created_at),
    expiresAt: iso(row.expires_at),
  };
}

const INVITATION_COLUMNS = sql`i.owner_id, i.id, i.list_id, l.name as list_name, i.email, i.role,
  o.name as inviter_name, o.email as inviter_email, i.created_at, i.expires_at`;

/**
 * The owner invites an address (renewing a pending invitation to it). Someone who already is a
 * member, or the owner, is 409. The message goes out through the outbox with this transaction.
 */
export async function createInvitation(db: Database, grant: ListGrant, input: CreateInvitation): Promise<Invitation> {
  const now = new Date();
  return db.transaction(async (tx) => {
    const existing = rowsOf<{ id: string }>(
      await tx.execute(sql`
        select u.id from users u where u.email = ${input.email} and (u.id = ${grant.ownerId} or exists (
          select 1 from list_members m where m.owner_id = ${grant.ownerId} and m.list_id = ${grant.listId} and m.member_id = u.id))`),
    );
    if (existing.length > 0) {
      throw new AppError("conflict", "This person already sees the list", {
        errors: { email: ["Already a member of this list"] },
      });
    }
    const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * DAY_MS);
    await tx
      .insert(listInvitations)
      .values({
        ownerId: grant.ownerId,
        id: uuidv7(),
        listId: grant.listId,
        email: input.email,
        role: input.role,
        createdAt: now,
        expiresAt,
      })
      .onConflictDoUpdate({
        target: [listInvitations.ownerId, listInvitations.listId, listInvitations.email],
        set: { id: uuidv7(), role: input.role, createdAt: now, expiresAt },
      });
    const [row] = rowsOf<InvitationRow>(
      await tx.execute(sql`select ${INVITATION_COLUMNS} from list_invitations i
        join lists l on l.user_id = i.owner_id and l.id = i.list_id
        join users o on o.id = i.owner_id
        where i.owner_id = ${grant.ownerId} and i.list_id = ${grant.listId} and i.email = ${input.email}`),
    );
    const invitation = toInvitation(row!);
    await enqueueMessage(tx, {
      kind: "list_invitation",
      recipient: input.email,
      data: {
        inviterName: invitation.invitedBy.name,
        inviterEmail: invitation.invitedBy.email,
        listName: invitation.listName,
        role: invitation.role,
        expiresAt: invitation.expiresAt,
      },
    });
    return invitation;
  });
}

/** The invitation email; it carries no secret (the invitee accepts signed in). */
export function invitationComposer(context: MessageContext) {
  return async (message: ClaimedMessage): Promise<OutgoingMessage | null> => {
    if (!message.recipient) return null;
    const data = message.data as {
      inviterName: string;
      inviterEmail: string;
      listName: string;
      role: string;
      expiresAt: string;
    };
    return { to: message.recipient, ...listInvitationMessage(context, data) };
  };
}

/** The list's pending invitations (owner). */
export async function listInvitationsOf(db: Executor, grant: ListGrant): Promise<InvitationCollection> {
  const rows = rowsOf<InvitationRow>(
    await db.execute(sql`select ${INVITATION_COLUMNS} from list_invitations i
      join lists l on l.user_id = i.owner_id and l.id = i.list_id
      join users o on o.id = i.owner_id
      where i.owner_id = ${grant.ownerId} and i.list_id = ${grant.listId} and i.expires_at > now()
      order by i.created_at, i.id`),
  );
  return { items: rows.map(toInvitation) };
}

/** The caller's verified address, or null: invitations are matched to it and nothing else. */
async function verifiedEmail(db: Executor, userId: string): Promise<string | null> {
  const [user] = await db
    .select({ email: users.email, verifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.id, userId));
  return user?.verifiedAt ? user.email : null;
}

/** Pending invitations addressed to the caller's verified email. */
export async function pendingInvitations(db: Executor, userId: string): Promise<InvitationCollection> {
  const email = await verifiedEmail(db, userId);
  if (!email) return { items: [] };
  const rows = rowsOf<InvitationRow>(
    await db.execute(sql`select ${INVITATION_COLUMNS} from list_invitations i
      join lists l on l.user_id = i.owner_id and l.id = i.list_id
      join users o on o.id = i.owner_id
      where i.email = ${email} and i.expires_at > now()
      order by i.created_at, i.id`),
  );
  return { items: rows.map(toInvitation) };
}

/** An invitation the caller may act on: as its invitee (verified email) or as the list's owner. */
async function findInvitation(db: Executor, userId: string, id: string, { forUpdate = false } = {}) {
  if (!isUuid(id)) throw invitationNotFound();
  const email = await verifiedEmail(db, userId);
  const [row] = rowsOf<{ owner_id: string; list_id: string; email: string; role: MemberRole }>(
    await db.execute(sql`select owner_id, list_id, email, role from list_invitations
      where id = ${id} and expires_at > now() and (owner_id = ${userId} or email = ${email ?? ""})
      ${forUpdate ? sql`for update` : sql``}`),
  );
  if (!row) throw invitationNotFound();
  return { ...row, asInvitee: row.email === email, asOwner: row.owner_id === userId };
}

/**
 * Accepting spends the invitation and makes the caller a member: the membership's trigger gives
 * them the list and its todos in their change log (drizzle/0008), in this transaction. It waits for
 * writers of the list that are under way, so the copy has their todos (drizzle/0011).
 */
export async function acceptInvitation(
  db: Database,
  userId: string,
  id: string,
): Promise<{ list: List; ownerId: string }> {
  return db.transaction(async (tx) => {
    const found = await findInvitation(tx, userId, id);
    if (!found.asInvitee) throw invitationNotFound();
    // The list row before the audience lock, in the order a list's deletion takes them (its row, then
    // its todos, whose triggers take the lock): the membership's foreign key would take the row after
    // the lock, and wait for a deletion that waits for us.
    const [held] = await tx
      .select({ id: lists.id })
      .from(lists)
      .where(and(eq(lists.userId, found.owner_id), eq(lists.id, found.list_id)))
      .for("key share");
    if (!held) throw invitationNotFound();
    await lockAudience(tx, found.owner_id, found.list_id);
    // Spent by a concurrent accept while we waited: 404, as a second accept is.
    const invitation = await findInvitation(tx, userId, id, { forUpdate: true });
    if (!invitation.asInvitee || invitation.list_id !== found.list_id) throw invitationNotFound();
    await tx
      .delete(listInvitations)
      .where(and(eq(listInvitations.ownerId, invitation.owner_id), eq(listInvitations.id, id)));
    if (invitation.owner_id !== userId) {
      await tx
        .insert(listMembers)
        .values({
          ownerId: invitation.owner_id,
          listId: invitation.list_id,
          memberId: userId,
          role: invitation.role,
          joinedAt: new Date(),
        })
        .onConflictDoNothing();
    }
    const [row] = await tx
      .select()
      .from(lists)
      .where(and(eq(lists.userId, invitation.owner_id), eq(lists.id, invitation.list_id)));
    if (!row) throw invitationNotFound();
    return {
      list: toList(row, await listAccessOf(tx, invitation.owner_id, invitation.list_id, userId)),
      ownerId: invitation.owner_id,
    };
  });
}

/** The invitee declines, or the owner withdraws it. */
export async function deleteInvitation(db: Database, userId: string, id: string): Promise<void> {
  const invitation = await findInvitation(db, userId, id);
  await db
    .delete(listInvitations)
    .where(and(eq(listInvitations.ownerId, invitation.owner_id), eq(listInvitations.id, id)));
}

interface MemberRow {
  user_id: string;
  name: string;
  email: string;
  role: ListRole;
  joined_at: string | Date;
}

/** The owner first (joined when the list was created), then members in the order they joined. */
export async function listMembersOf(db: Executor, grant: ListGrant): Promise<MemberCollection> {
  const rows = rowsOf<MemberRow>(
    await db.execute(sql`
      select u.id as user_id, u.name, u.email, 'owner' as role, l.created_at as joined_at, 0 as rank
        from lists l join users u on u.id = l.user_id where l.user_id = ${grant.ownerId} and l.id = ${grant.listId}
      union all
      select u.id, u.name, u.email, m.role, m.joined_at, 1
        from list_members m join users u on u.id = m.member_id
        where m.owner_id = ${grant.ownerId} and m.list_id = ${grant.listId}
      order by rank, joined_at, user_id`),
  );
  return {
    items: rows.map((row) => ({
      userId: row.user_id,
      name: row.name,
      email: row.email,
      role: row.role,
      joinedAt: iso(row.joined_at),
    })),
  };
}

/** The one membership row of `memberId` in the granted list. */
const membershipOf = (grant: ListGrant, memberId: string) =>
  and(eq(listMembers.ownerId, grant.ownerId), eq(listMembers.listId, grant.listId), eq(listMembers.memberId, memberId));

export async function updateMember(db: Database, grant: ListGrant, memberId: string, role: MemberRole) {
  if (!isUuid(memberId)) throw memberNotFound();
  if (memberId === grant.ownerId) throw validationError("role", "The owner's role cannot change");
  const updated = await db.transaction(async (tx) => {
    await lockAudience(tx, grant.ownerId, grant.listId);
    return tx.update(listMembers).set({ role }).where(membershipOf(grant, memberId)).returning();
  });
  if (updated.length === 0) throw memberNotFound();
  return listMembersOf(db, grant).then((members) => members.items.find((member) => member.userId === memberId)!);
}

/**
 * Removal by the owner, or leaving. Takes effect at once: the membership row is what every
 * authorisation reads, and its trigger writes the member's `list.deleted`. Their assignments in
 * the list are cleared first (an assignee must be a member), which everyone who sees the list sees.
 *
 * The audience lock comes first (drizzle/0011): it waits for every writer that read the old
 * membership, so their entries for the member come before the tombstone, and holds off new ones
 * until this commits, so nothing comes after. Holding it, this must not wait for a todo row: a
 * writer holding one may be waiting for the lock. So rows a writer holds are skipped; that writer
 * clears the assignment itself once it gets the lock (drizzle/0011's assignee trigger).
 */
export async function removeMember(db: Database, grant: ListGrant, memberId: string): Promise<void> {
  mayRemoveMember(grant, memberId);
  if (!isUuid(memberId) || memberId === grant.ownerId) throw memberNotFound();
  await db.transaction(async (tx) => {
    await lockAudience(tx, grant.ownerId, grant.listId);
    const assigned = tx
      .select({ id: todos.id })
      .from(todos)
      .where(and(eq(todos.userId, grant.ownerId), eq(todos.listId, grant.listId), eq(todos.assigneeId, memberId)))
      .for("no key update", { skipLocked: true });
    await tx
      .update(todos)
      .set({ assigneeId: null, updatedAt: new Date(), version: sql`${todos.version} + 1` })
      .where(and(eq(todos.userId, grant.ownerId), inArray(todos.id, assigned)));
    const removed = await tx.delete(listMembers).where(membershipOf(grant, memberId)).returning();
    if (removed.length === 0) throw memberNotFound();
  });
}

/**
 * Waits for the list's writers under way and holds off new ones until this transaction ends
 * (drizzle/0011). Membership changes take it before anything else of the list.
 */
async function lockAudience(tx: Executor, ownerId: string, listId: string): Promise<void> {
  await tx.execute(sql`select taskvault_lock_list_audience(${ownerId}, ${listId})`);
}
