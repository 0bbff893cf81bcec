import type { ListRole } from "@taskvault/contract/lists";
import type { Todo } from "@taskvault/contract/todos";

/**
 * Whether this browser shows a todo's reminder, following the API's email rule (a shared list's
 * reminder goes to its assignee, else to whoever set it; apps/api/src/mail/reminders.ts) as far as
 * a todo's fields tell: an assigned todo reminds its assignee only; an unassigned one its creator,
 * and the list's owner (who set it is not in the contract's Todo, and in the owner's own lists
 * and Inbox that is the owner). So a viewer, or an editor who neither made nor took it, is not
 * interrupted by everyone else's reminders.
 */
export function isReminderFor(
  todo: Pick<Todo, "assigneeId" | "createdBy" | "listId">,
  me: string,
  roleInList: (listId: string) => ListRole | undefined,
): boolean {
  if (todo.assigneeId) return todo.assigneeId === me;
  if (todo.createdBy === me || todo.listId === null) return true;
  return (roleInList(todo.listId) ?? "owner") === "owner";
}
