"use client";

import type { List } from "@taskvault/contract/lists";
import type { Member } from "@taskvault/contract/sharing";
import { createContext, useContext, useEffect, useState } from "react";
import { ListsContext } from "../lists/lists-context.ts";
import { fetchMembers } from "./sharing-api.ts";

/** The members of each shared list by list id: who a todo's creator and assignee are. */
export const MembersContext = createContext<Map<string, Member[]>>(new Map());

export function isShared(list: Pick<List, "memberCount"> | undefined): boolean {
  return (list?.memberCount ?? 1) > 1;
}

/** May the signed-in user change the todos of this list? Viewers may not; the Inbox is one's own. */
export function canWriteTo(list: Pick<List, "role"> | undefined): boolean {
  return list?.role !== "viewer";
}

/** The list a todo is in (undefined for the Inbox), from the lists on screen. */
export function useListOf(listId: string | null): List | undefined {
  const lists = useContext(ListsContext);
  return listId === null ? undefined : lists.find((list) => list.id === listId);
}

/**
 * Loads the members of every shared list, again whenever a list's member count changes (someone
 * joined, left or was removed), so initials and the assignee picker stay right.
 */
export function useSharedMembers(lists: List[]): Map<string, Member[]> {
  const [members, setMembers] = useState(new Map<string, Member[]>());
  // One string that changes exactly when the set of shared lists or their sizes do.
  const key = lists
    .filter(isShared)
    .map((list) => `${list.id}:${list.memberCount}`)
    .sort()
    .join(",");

  useEffect(() => {
    let isCurrent = true;
    const ids = key ? key.split(",").map((entry) => entry.split(":")[0] as string) : [];
    Promise.all(
      ids.map((id) =>
        fetchMembers(id).then(
          (items) => [id, items] as const,
          () => null,
        ),
      ),
    ).then((entries) => {
      if (!isCurrent) return;
      setMembers(new Map(entries.filter((entry) => entry !== null)));
    });
    return () => {
      isCurrent = false;
    };
  }, [key]);

  return members;
}
