import type { List, ListRole, MemberRole } from "@taskvault/contract/lists";
import type { Invitation, InvitationCollection, Member, MemberCollection } from "@taskvault/contract/sharing";
import type { Todo, TodoPage } from "@taskvault/contract/todos";
import { BffError, bff } from "@/lib/bff-client.ts";

/** Browser-side calls to the BFF's sharing routes (invitations and members of shared lists). */
export async function fetchMyInvitations(): Promise<Invitation[]> {
  const { data } = await bff<InvitationCollection>("/api/invitations");
  return data.items;
}

export async function acceptInvitation(id: string): Promise<List> {
  const { data } = await bff<List>(`/api/invitations/${id}/accept`, { method: "POST" });
  return data;
}

/** The invitee declines, or the owner withdraws: the same call. */
export async function deleteInvitation(id: string): Promise<void> {
  await bff(`/api/invitations/${id}`, { method: "DELETE" });
}

export async function fetchListInvitations(listId: string): Promise<Invitation[]> {
  const { data } = await bff<InvitationCollection>(`/api/lists/${listId}/invitations`);
  return data.items;
}

export async function inviteToList(listId: string, email: string, role: MemberRole): Promise<Invitation> {
  const { data } = await bff<Invitation>(`/api/lists/${listId}/invitations`, {
    method: "POST",
    body: { email, role },
  });
  return data;
}

export async function fetchMembers(listId: string): Promise<Member[]> {
  const { data } = await bff<MemberCollection>(`/api/lists/${listId}/members`);
  return data.items;
}

export async function changeMemberRole(listId: string, userId: string, role: MemberRole): Promise<void> {
  await bff(`/api/lists/${listId}/members/${userId}`, { method: "PATCH", body: { role } });
}

/** The owner removes a member, or a member removes itself (leaves). */
export async function removeMember(listId: string, userId: string): Promise<void> {
  await bff(`/api/lists/${listId}/members/${userId}`, { method: "DELETE" });
}

/** Every todo of one list (just joined: its todos arrive at once, before the stream brings them). */
export async function fetchListTodos(listId: string): Promise<Todo[]> {
  const items: Todo[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 50; page++) {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
    const { data }: { data: TodoPage } = await bff<TodoPage>(`/api/todos?listId=${listId}&limit=200${query}`);
    items.push(...data.items);
    cursor = data.nextCursor;
    if (!cursor) break;
  }
  return items;
}

export const ROLE_LABELS: Record<ListRole, string> = { owner: "Owner", editor: "Editor", viewer: "Viewer" };

/** "Ada Lovelace" → "AL", "bob@example.com" → "B": what a todo shows for its creator or assignee. */
export function initialsOf(person: Pick<Member, "name" | "email">): string {
  const words = person.name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return (person.email[0] ?? "?").toUpperCase();
  const first = words[0]?.[0] ?? "";
  const last = words.length > 1 ? (words[words.length - 1]?.[0] ?? "") : "";
  return `${first}${last}`.toUpperCase();
}

export function displayName(person: Pick<Member, "name" | "email">): string {
  return person.name.trim() || person.email;
}

/** What to say when the API refused a change because the user only views the list (403), else null. */
export function viewerRefusal(error: unknown, title: string): string | null {
  if (!(error instanceof BffError) || error.status !== 403) return null;
  return `“${title}” was not changed: you can view this shared list but not change it.`;
}
