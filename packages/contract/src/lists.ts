import { z } from "zod";
import { DateTime, hasNoNul, Id, NO_NUL_MESSAGE } from "./common.ts";

export const LIST_NAME_MAX = 60;

/** The fixed palette a list may be tagged with; the web app maps each name to its own shades. */
export const ListColor = z.enum([
  "red",
  "orange",
  "amber",
  "yellow",
  "lime",
  "green",
  "teal",
  "cyan",
  "blue",
  "indigo",
  "purple",
  "pink",
  "brown",
  "gray",
]);
export type ListColor = z.infer<typeof ListColor>;

export const ListName = z
  .string()
  .trim()
  .min(1, "Name must not be empty")
  .max(LIST_NAME_MAX, `Name must be at most ${LIST_NAME_MAX} characters`)
  .refine(hasNoNul, NO_NUL_MESSAGE);

/** What a member may do to a shared list: the owner everything, an editor its todos, a viewer read. */
export const ListRole = z.enum(["owner", "editor", "viewer"]);
export type ListRole = z.infer<typeof ListRole>;

/** The roles an invitation or a role change can give: there is one owner, the list's creator. */
export const MemberRole = z.enum(["editor", "viewer"]);
export type MemberRole = z.infer<typeof MemberRole>;

export const List = z.object({
  id: Id,
  name: z.string(),
  color: ListColor.nullable(),
  position: z.number(),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: z.number().int(),
  /** The caller's role in this list (`owner` for the caller's own lists). */
  role: ListRole,
  /** How many people see the list, its owner included (1: not shared). */
  memberCount: z.number().int(),
});
export type List = z.infer<typeof List>;

/** A list as `GET /api/v1/lists` returns it: with how many todos it holds, and how many are open. */
export const ListWithCounts = List.extend({
  todoCount: z.number().int(),
  activeCount: z.number().int(),
});
export type ListWithCounts = z.infer<typeof ListWithCounts>;

export const ListCollection = z.object({ items: z.array(ListWithCounts) });
export type ListCollection = z.infer<typeof ListCollection>;

export const CreateList = z.strictObject({
  name: ListName,
  color: ListColor.nullable().optional(),
  position: z.number().finite().optional(),
});
export type CreateList = z.infer<typeof CreateList>;

export const UpdateList = z.strictObject({
  name: ListName.optional(),
  color: ListColor.nullable().optional(),
  position: z.number().finite().optional(),
});
export type UpdateList = z.infer<typeof UpdateList>;

export const ListParams = z.object({ id: z.string() });

/** What happens to the todos of a deleted list: deleted with it, or moved to the Inbox. */
export const DeleteListQuery = z.strictObject({
  todos: z.enum(["delete", "inbox"]).optional(),
});
export type DeleteListQuery = z.infer<typeof DeleteListQuery>;
