"use client";

import type { Todo } from "@taskvault/contract/todos";
import { useContext } from "react";
import { isShared, MembersContext, useListOf } from "./members-context.ts";
import { displayName, initialsOf } from "./sharing-api.ts";

/**
 * In a shared list, who created a todo and who it is assigned to, as initials in small circles
 * (the full name on hover and for screen readers). Nothing outside shared lists: there it is
 * always the user.
 */
export function TodoPeople({ todo }: { todo: Todo }) {
  const list = useListOf(todo.listId);
  const members = useContext(MembersContext).get(todo.listId ?? "") ?? [];
  if (!isShared(list)) return null;
  const creator = members.find((member) => member.userId === todo.createdBy);
  const assignee = todo.assigneeId ? members.find((member) => member.userId === todo.assigneeId) : undefined;
  if (!creator && !assignee) return null;
  return (
    <div className="mt-1 flex items-center gap-1">
      {creator ? (
        <span
          className="grid size-5 place-items-center rounded-full bg-slate-200 text-[10px] font-semibold text-slate-700 dark:bg-slate-700 dark:text-slate-200"
          title={`Created by ${displayName(creator)}`}
        >
          <span aria-hidden="true">{initialsOf(creator)}</span>
          <span className="sr-only">Created by {displayName(creator)}</span>
        </span>
      ) : null}
      {assignee ? (
        <span
          className="inline-flex items-center gap-1 rounded-full bg-brand-50 py-0.5 pr-2 pl-0.5 text-xs text-brand-700 dark:bg-slate-800 dark:text-slate-200"
          title={`Assigned to ${displayName(assignee)}`}
        >
          <span
            aria-hidden="true"
            className="grid size-5 place-items-center rounded-full bg-brand-600 text-[10px] font-semibold text-white"
          >
            {initialsOf(assignee)}
          </span>
          <span aria-hidden="true">→</span>
          <span className="sr-only">Assigned to {displayName(assignee)}</span>
        </span>
      ) : null}
    </div>
  );
}
