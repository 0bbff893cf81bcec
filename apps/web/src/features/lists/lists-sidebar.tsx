"use client";

import type { List } from "@taskvault/contract/lists";
import { type FormEvent, type MouseEvent, useState } from "react";
import { BffError } from "@/lib/bff-client.ts";
import { type TodoView, viewHref } from "../todos/todo-view.ts";

export type ListActions = {
  create(name: string): Promise<void>;
  rename(id: string, name: string): Promise<void>;
  /** `todos` is asked for when the list still holds todos. */
  remove(id: string, todos?: "delete" | "inbox"): Promise<void>;
};

/**
 * The Inbox and the user's lists, each with its number of open todos. Selecting one filters the
 * todos (`?list=…`, so it survives a reload and works as a link). On phones it is a drawer behind
 * the "Lists" button. Deleting a list that holds todos asks whether they move to the Inbox or go.
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
  const [renamingId, setRenamingId] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<List | null>(null);
  const [error, setError] = useState<string | null>(null);

  function go(event: MouseEvent<HTMLAnchorElement>, list: TodoView["list"]) {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    window.history.pushState(null, "", viewHref({ ...view, list }));
    setIsOpen(false);
  }

  async function run(task: () => Promise<void>): Promise<boolean> {
    setError(null);
    try {
      await task();
      return true;
    } catch (caught) {
      setError(caught instanceof BffError ? caught.message : "Something went wrong. Try again.");
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

  async function submitRename(event: FormEvent<HTMLFormElement>, list: List) {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem("name") as HTMLInputElement;
    const name = input.value.trim();
    if (!name || name === list.name) return setRenamingId(null);
    if (await run(() => actions.rename(list.id, name))) setRenamingId(null);
  }

  async function confirmDelete(list: List, todos?: "delete" | "inbox") {
    if (await run(() => actions.remove(list.id, todos))) {
      setDeleting(null);
      if (view.list === list.id) window.history.pushState(null, "", viewHref({ ...view, list: "all" }));
    }
  }

  const entry = (id: TodoView["list"], name: string) => {
    const isCurrent = view.list === id;
    const count = counts.get(id) ?? 0;
    return (
      <a
        href={viewHref({ ...view, list: id })}
        aria-current={isCurrent ? "page" : undefined}
        onClick={(event) => go(event, id)}
        className={`flex min-w-0 flex-1 items-center justify-between gap-2 rounded-lg px-3 py-1.5 text-sm ${
          isCurrent
            ? "bg-brand-600 font-medium text-white dark:bg-brand-500"
            : "text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
        }`}
      >
        <span className="truncate">{name}</span>
        <span className="text-xs tabular-nums opacity-80">{count}</span>
      </a>
    );
  };

  return (
    <div className="md:w-52 md:shrink-0">
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
            {lists.map((list) => (
              <li key={list.id} className="group flex items-center gap-1">
                {renamingId === list.id ? (
                  <form className="flex-1" onSubmit={(event) => submitRename(event, list)}>
                    <input
                      name="name"
                      aria-label="List name"
                      defaultValue={list.name}
                      maxLength={60}
                      className="field py-1 text-sm"
                      // biome-ignore lint/a11y/noAutofocus: the user just asked to rename this list
                      autoFocus
                      onKeyDown={(event) => event.key === "Escape" && setRenamingId(null)}
                    />
                  </form>
                ) : (
                  <>
                    {entry(list.id, list.name)}
                    <button
                      type="button"
                      className="btn-ghost px-1.5 py-1 text-xs"
                      aria-label={`Rename list ${list.name}`}
                      onClick={() => setRenamingId(list.id)}
                    >
                      ✎
                    </button>
                    <button
                      type="button"
                      className="btn-ghost px-1.5 py-1 text-xs"
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
        {error ? (
          <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
            {error}
          </p>
        ) : null}
      </div>
    </div>
  );
}
