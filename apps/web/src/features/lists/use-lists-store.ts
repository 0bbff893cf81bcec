"use client";

import type { List } from "@taskvault/contract/lists";
import { useRef, useState } from "react";
import { removeMember } from "../sharing/sharing-api.ts";
import { writableListNamed } from "../todos/quick-add.ts";
import { positionOneStep } from "../todos/todo-view.ts";
import * as listApi from "./list-api.ts";
import type { ListActions } from "./lists-sidebar.tsx";

/**
 * The user's lists: created, renamed, recoloured, moved and deleted through the BFF, kept sorted,
 * and updated by the live stream. `onRemoved` lets the todo store follow a deleted list's todos.
 */
export function useListsStore({
  initialLists,
  me,
  onRemoved,
}: {
  initialLists: List[];
  /** The signed-in user's id: leaving a shared list removes this member. */
  me: string;
  onRemoved(listId: string, todosGo?: "delete" | "inbox"): void;
}) {
  const [lists, setLists] = useState(initialLists);
  const listsRef = useRef(lists);
  listsRef.current = lists;

  /** The list a `#Name` means: one the user may add to (writableListNamed), else a new one made on the spot. */
  async function resolveListName(name: string): Promise<string | null> {
    const known = writableListNamed(listsRef.current, name);
    if (known) return known;
    try {
      const created = await listApi.createList(name);
      setLists((current) => upsertList(current, created));
      return created.id;
    } catch {
      return null;
    }
  }

  const listActions: ListActions = {
    async create(name) {
      const created = await listApi.createList(name);
      setLists((current) => upsertList(current, created));
    },
    async update(id, changes) {
      const updated = await listApi.updateList(id, changes);
      setLists((current) => upsertList(current, updated));
    },
    async move(id, direction) {
      const before = listsRef.current.find((list) => list.id === id);
      const position = positionOneStep(listsRef.current, id, direction);
      if (!before || position === null) return;
      const placeAt = (at: number) => (current: List[]) =>
        sortLists(current.map((list) => (list.id === id ? { ...list, position: at } : list)));
      setLists(placeAt(position));
      try {
        const moved = await listApi.updateList(id, { position });
        setLists((current) => upsertList(current, moved));
      } catch (error) {
        setLists(placeAt(before.position));
        throw error;
      }
    },
    async remove(id, todosGo) {
      await listApi.deleteList(id, todosGo);
      setLists((current) => current.filter((list) => list.id !== id));
      onRemoved(id, todosGo);
    },
    async leave(id) {
      await removeMember(id, me);
      setLists((current) => current.filter((list) => list.id !== id));
      // The list's todos were never the user's: they leave with it.
      onRemoved(id, "delete");
    },
    membersChanged(id, memberCount) {
      setLists((current) => current.map((list) => (list.id === id ? { ...list, memberCount } : list)));
    },
  };

  /** The stream's side: lists changed or deleted elsewhere. */
  const live = {
    listUpserted(list: List) {
      setLists((current) => upsertList(current, list));
    },
    listDeleted(id: string) {
      setLists((current) => current.filter((list) => list.id !== id));
    },
  };

  return { lists, actions: listActions, resolveListName, live };
}

function upsertList(lists: List[], list: List): List[] {
  return sortLists(
    lists.some((item) => item.id === list.id)
      ? lists.map((item) => (item.id === list.id && item.version <= list.version ? list : item))
      : [...lists, list],
  );
}

function sortLists(lists: List[]): List[] {
  return lists.sort((a, b) => a.position - b.position || a.createdAt.localeCompare(b.createdAt));
}
