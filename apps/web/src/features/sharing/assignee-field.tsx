"use client";

import type { Todo } from "@taskvault/contract/todos";
import { useContext } from "react";
import { isShared, MembersContext, useListOf } from "./members-context.ts";
import { displayName } from "./sharing-api.ts";

/**
 * The details form's **Assignee** picker: nobody, or a member of the todo's shared list. Shown
 * only in shared lists (elsewhere the only possible assignee is the user). Its value is read by
 * the form as `assignee` (an empty string for nobody).
 */
export function AssigneeField({ todo, id }: { todo: Todo; id: string }) {
  const list = useListOf(todo.listId);
  const members = useContext(MembersContext).get(todo.listId ?? "") ?? [];
  if (!isShared(list) || members.length === 0) return null;
  return (
    <div>
      <label className="label" htmlFor={id}>
        Assignee
      </label>
      <select id={id} name="assignee" className="field" defaultValue={todo.assigneeId ?? ""}>
        <option value="">Nobody</option>
        {members.map((member) => (
          <option key={member.userId} value={member.userId}>
            {displayName(member)}
          </option>
        ))}
      </select>
    </div>
  );
}
