// Shared lists (contract v1.2): invitations to a list and its members.
import { z } from "zod";
import { Email } from "./auth.ts";
import { DateTime, Id } from "./common.ts";
import { ListRole, MemberRole } from "./lists.ts";

/** Invitations are valid this long; accepting or declining spends them. */
export const INVITATION_TTL_DAYS = 14;

/**
 * An invitation to a list. It carries no secret: the invitee accepts it signed in to an account
 * whose verified email is `email`.
 */
export const Invitation = z.object({
  id: Id,
  listId: Id,
  listName: z.string(),
  email: z.string(),
  role: MemberRole,
  invitedBy: z.object({ name: z.string(), email: z.string() }),
  createdAt: DateTime,
  expiresAt: DateTime,
});
export type Invitation = z.infer<typeof Invitation>;

export const InvitationCollection = z.object({ items: z.array(Invitation) });
export type InvitationCollection = z.infer<typeof InvitationCollection>;

/** `POST /api/v1/lists/{id}/invitations` (owner). */
export const CreateInvitation = z.strictObject({
  email: Email,
  role: MemberRole,
});
export type CreateInvitation = z.infer<typeof CreateInvitation>;

export const InvitationParams = z.object({ id: z.string() });

/** Someone who sees a list: its owner, or a member who accepted an invitation. */
export const Member = z.object({
  userId: Id,
  name: z.string(),
  email: z.string(),
  role: ListRole,
  joinedAt: DateTime,
});
export type Member = z.infer<typeof Member>;

/** `GET /api/v1/lists/{id}/members`: the owner first, then members in the order they joined. */
export const MemberCollection = z.object({ items: z.array(Member) });
export type MemberCollection = z.infer<typeof MemberCollection>;

/** `PATCH /api/v1/lists/{id}/members/{userId}` (owner): `editor` or `viewer`; the owner's role is fixed. */
export const UpdateMember = z.strictObject({ role: MemberRole });
export type UpdateMember = z.infer<typeof UpdateMember>;

export const MemberParams = z.object({ id: z.string(), userId: z.string() });
