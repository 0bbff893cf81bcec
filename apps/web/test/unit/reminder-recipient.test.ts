import type { ListRole } from "@taskvault/contract/lists";
import { describe, expect, test } from "vitest";
import { isReminderFor } from "@/features/todos/reminder-recipient.ts";

const me = "me";
const roles: Record<string, ListRole> = { mine: "owner", edited: "editor", viewed: "viewer" };
const roleInList = (listId: string) => roles[listId];

describe("which reminders this browser shows", () => {
  test("an assigned todo reminds its assignee only, whoever made it and whoever owns the list", () => {
    expect(isReminderFor({ assigneeId: me, createdBy: "owner", listId: "viewed" }, me, roleInList)).toBe(true);
    expect(isReminderFor({ assigneeId: "other", createdBy: me, listId: "mine" }, me, roleInList)).toBe(false);
  });

  test("an unassigned todo reminds its creator and the list's owner, not the other members", () => {
    expect(isReminderFor({ assigneeId: null, createdBy: me, listId: "edited" }, me, roleInList)).toBe(true);
    expect(isReminderFor({ assigneeId: null, createdBy: "member", listId: "mine" }, me, roleInList)).toBe(true);
    expect(isReminderFor({ assigneeId: null, createdBy: "owner", listId: "edited" }, me, roleInList)).toBe(false);
    expect(isReminderFor({ assigneeId: null, createdBy: "owner", listId: "viewed" }, me, roleInList)).toBe(false);
  });

  test("the Inbox is always the user's own", () => {
    expect(isReminderFor({ assigneeId: null, createdBy: me, listId: null }, me, roleInList)).toBe(true);
  });
});
