"use client";

import type { List, ListColor, UpdateList } from "@taskvault/contract/lists";
import { type FormEvent, lazy, type MouseEvent, Suspense, useState } from "react";
import { MoveButtons } from "@/components/move-buttons.tsx";
import { BffError } from "@/lib/bff-client.ts";
import { isShared } from "../sharing/members-context.ts";
import { PeopleIcon } from "../sharing/people-icon.tsx";
import { ASSIGNED_VIEW, type TodoView, viewHref } from "../todos/todo-view.ts";
import { COLORS } from "./list-colors.ts";

// Fetched when a list is first edited: the list itself does not need the form.
const ListEditor = lazy(() => import("./list-editor.tsx"));
const ShareDialog = lazy(() => import("../sharing/share-dialog.tsx"));

export type ListActions = {
  create(name: string): Promise<void>;
  /** Rename and/or recolour. */
  update(id: string, changes: Pick<UpdateList, "name" | "color">): Promise<void>;
  /** One place up or down; shown at once, put back if the API refuses (then this rejects). */
  move(id: string, direction: "up" | "down"): Promise<void>;
  /** `todos` is asked for when the list still holds todos. */
  remove(id: string, todos?: "delete" | "inbox"): Promise<void>;
  /** A member (not the owner) leaves a shared list: it goes from the screen with its todos. */
  leave(id: string): Promise<void>;
  /** The Share dialog changed who is in the list: its member count, shown at once. */
  membersChanged(id: string, memberCount: number): void;
};

// Small enough that four fit beside a list's name, large enough to tap (WCAG 2.5.8: 24 px).
const ROW_BUTTON =
  "inline-flex size-6 shrink-0 items-center justify-center rounded-md text-xs text-slate-600 hover:bg-slate-200 hover:text-slate-900 disabled:opacity-40 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white";

/**
 * The Inbox and the user's lists, each with its colour and number of open todos. Selecting one
 * filters the todos (`?list=…`, so it survives a reload and works as a link). On phones it is a
 * drawer behind the "Lists" button. Lists are renamed and recoloured (✎), moved up and down
 * (↑ ↓), and deleted; deleting a list that holds todos asks whether they move to the Inbox or go.
 */
export function ListsSidebar({
  lists,
  counts,
  totals,
  view,
  actions,
}: {
  lists: List[];
  /** Open todos per list id, `inbox` for todos without a list. */
  counts: Map<string, number>;
  /** All todos (open or not) per list id: deleting a list with any asks what to do with them. */
  totals: Map<string, number>;
  view: TodoView;
  actions: ListActions;
}) {
  const [isOpen, setIsOpen] = useState(false);
  const [isAdding, setIsAdding] = useState(false);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<List | null>(null);
  const [sharingId, setSharingId] = useState<string | null>(null);
  const sharing = lists.find((list) => list.id === sharingId && list.role === "owner");
  const [error, setError] = useState<string | null>(null);

  function go(event: MouseEvent<HTMLAnchorElement>, list: TodoView["list"]) {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    window.history.pushState(null, "", viewHref({ ...view, list }));
    setIsOpen(false);
  }

  async function run(task: () => Promise<void>, failure?: string): Promise<boolean> {
    setError(null);
    try {
      await task();
      return true;
    } catch (caught) {
      const reason = caught instanceof BffError ? caught.message : "Something went wrong. Try again.";
      setError(failure ? `${failure}: ${reason}` : reason);
      return false;
    }
  }

  async function submitNew(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem("name") as HTMLInputElement;
    const name = input.value.trim();
    if (!name) return;
    if (await run(() => actions.create(name))) setIsAdding(false);
  }

  async function submitEdit(event: FormEvent<HTMLFormElement>, list: List) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get("name") ?? "").trim();
    const color = (String(form.get("color") ?? "") || null) as ListColor | null;
    const changes: Pick<UpdateList, "name" | "color"> = {};
    if (name && name !== list.name) changes.name = name;
    if (color !== list.color) changes.color = color;
    if (Object.keys(changes).length === 0) return setEditingId(null);
    if (await run(() => actions.update(list.id, changes))) setEditingId(null);
  }

  async function confirmDelete(list: List, todos?: "delete" | "inbox") {
    if (await run(() => actions.remove(list.id, todos))) {
      setDeleting(null);
      if (view.list === list.id) window.history.pushState(null, "", viewHref({ ...view, list: "all" }));
    }
  }

  async function leave(list: List) {
    if (await run(() => actions.leave(list.id), `Could not leave “${list.name}”`)) {
      if (view.list === list.id) window.history.pushState(null, "", viewHref({ ...view, list: "all" }));
    }
  }

  const entry = (id: TodoView["list"], name: string, color: ListColor | null = null, memberCount = 1) => {
    const isCurrent = view.list === id;
    const count = counts.get(id) ?? 0;
    return (
      <a
        href={viewHref({ ...view, list: id })}
        aria-current={isCurrent ? "page" : undefined}
        onClick={(event) => go(event, id)}
        title={name}
        className={`flex min-w-0 flex-1 items-center gap-2 rounded-lg px-2.5 py-1.5 text-sm ${
          isCurrent
            ? "bg-brand-600 font-medium text-white dark:bg-brand-500"
            : "text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
        }`}
      >
        {color ? (
          <span aria-hidden="true" className={`size-2.5 shrink-0 rounded-full ${COLORS[color].swatch}`} />
        ) : null}
        <span className="flex-1 truncate">{name}</span>
        {memberCount > 1 ? (
          <span
            className="inline-flex items-center gap-0.5 text-xs whitespace-nowrap opacity-80"
            title={`Shared: ${memberCount} members`}
          >
            <PeopleIcon />
            <span aria-hidden="true">{memberCount}</span>
            <span className="sr-only">, shared with {memberCount} members,</span>
          </span>
        ) : null}
        <span className="text-xs tabular-nums opacity-80">{count}</span>
      </a>
    );
  };

  return (
    <div className="md:w-72 md:shrink-0">
      <button
        type="button"
        className="btn-secondary mb-2 md:hidden"
        aria-expanded={isOpen}
        aria-controls="lists-panel"
        onClick={() => setIsOpen((open) => !open)}
      >
        Lists
      </button>
      <div id="lists-panel" className={`${isOpen ? "block" : "hidden"} card mb-3 p-2 md:block`}>
        <nav aria-label="Lists">
          <ul className="flex flex-col gap-0.5">
            <li className="flex">{entry("inbox", "Inbox")}</li>
            <li className="flex">{entry("today", "Today")}</li>
            <li className="flex">{entry("upcoming", "Upcoming")}</li>
            <li className="flex">{entry(ASSIGNED_VIEW, "Assigned to me")}</li>
            {lists.map((list, index) => (
              <li key={list.id} className="flex items-center gap-0.5">
                {list.role !== "owner" ? (
                  // A member's row: only the owner moves, renames, shares or deletes a list.
                  <>
                    {entry(list.id, list.name, list.color, list.memberCount)}
                    <button
                      type="button"
                      className={ROW_BUTTON.replace("size-6", "h-6 px-1.5")}
                      aria-label="Leave list"
                      title={`Leave “${list.name}”`}
                      onClick={() => void leave(list)}
                    >
                      Leave
                    </button>
                  </>
                ) : editingId === list.id ? (
                  <Suspense fallback={entry(list.id, list.name, list.color, list.memberCount)}>
                    <ListEditor list={list} onSubmit={submitEdit} onCancel={() => setEditingId(null)} />
                  </Suspense>
                ) : (
                  <>
                    {entry(list.id, list.name, list.color, list.memberCount)}
                    <MoveButtons
                      name={list.name}
                      className={ROW_BUTTON}
                      canMoveUp={index > 0}
                      canMoveDown={index < lists.length - 1}
                      onMove={(direction) =>
                        void run(() => actions.move(list.id, direction), `Could not move “${list.name}”`)
                      }
                    />
                    <button
                      type="button"
                      className={ROW_BUTTON}
                      aria-label="Share"
                      aria-haspopup="dialog"
                      title={
                        isShared(list) ? `Share “${list.name}” (${list.memberCount} members)` : `Share “${list.name}”`
                      }
                      onClick={() => setSharingId(list.id)}
                    >
                      <PeopleIcon />
                    </button>
                    <button
                      type="button"
                      className={ROW_BUTTON}
                      aria-label={`Rename list ${list.name}`}
                      title="Rename or recolour"
                      onClick={() => setEditingId(list.id)}
                    >
                      ✎
                    </button>
                    <button
                      type="button"
                      className={ROW_BUTTON}
                      aria-label={`Delete list ${list.name}`}
                      onClick={() => ((totals.get(list.id) ?? 0) > 0 ? setDeleting(list) : void confirmDelete(list))}
                    >
                      ✕
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
        </nav>
        {isAdding ? (
          <form className="mt-2 flex gap-1" onSubmit={submitNew}>
            <input
              name="name"
              aria-label="List name"
              maxLength={60}
              className="field py-1 text-sm"
              // biome-ignore lint/a11y/noAutofocus: the user just asked for a new list
              autoFocus
              onKeyDown={(event) => event.key === "Escape" && setIsAdding(false)}
            />
            <button type="submit" className="btn-primary px-2 py-1 text-sm">
              Create list
            </button>
          </form>
        ) : (
          <button type="button" className="btn-ghost mt-2 w-full text-left text-sm" onClick={() => setIsAdding(true)}>
            + New list
          </button>
        )}
        {deleting ? (
          <div
            role="alertdialog"
            aria-labelledby="delete-list-title"
            className="mt-2 rounded-lg border border-red-300 p-2 dark:border-red-800"
          >
            <p id="delete-list-title" className="text-sm">
              “{deleting.name}” still holds {totals.get(deleting.id) ?? 0}{" "}
              {(totals.get(deleting.id) ?? 0) === 1 ? "todo" : "todos"}. What should happen to{" "}
              {(totals.get(deleting.id) ?? 0) === 1 ? "it" : "them"}?
            </p>
            <div className="mt-2 flex flex-wrap gap-1">
              <button type="button" className="btn-secondary text-sm" onClick={() => confirmDelete(deleting, "inbox")}>
                Move to Inbox
              </button>
              <button type="button" className="btn-danger text-sm" onClick={() => confirmDelete(deleting, "delete")}>
                Delete them too
              </button>
              <button type="button" className="btn-ghost text-sm" onClick={() => setDeleting(null)}>
                Cancel
              </button>
            </div>
          </div>
        ) : null}
        {sharing ? (
          <Suspense fallback={null}>
            <ShareDialog
              list={sharing}
              onClose={() => setSharingId(null)}
              onMembersChanged={(memberCount) => actions.membersChanged(sharing.id, memberCount)}
            />
          </Suspense>
        ) : null}
        {error ? (
          <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
