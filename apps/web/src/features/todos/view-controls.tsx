"use client";

import { type MouseEvent, useEffect, useState } from "react";
import { SORTS, STATUS_FILTERS, type TodoView, viewHref } from "./todo-view.ts";

/** The status filter, the search and the sort of the list; the URL is the state. */
export function ViewControls({ view }: { view: TodoView }) {
  // The URL is the state: links work without JavaScript, and with it history.pushState keeps
  // the list instant while Next's useSearchParams follows along.
  function go(event: MouseEvent<HTMLAnchorElement>, next: TodoView) {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    window.history.pushState(null, "", viewHref(next));
  }
  const [query, setQuery] = useState(view.q);
  useEffect(() => setQuery(view.q), [view.q]);

  return (
    <div className="mt-3 flex flex-wrap items-center justify-between gap-2">
      <nav aria-label="Filter todos" className="flex gap-1">
        {STATUS_FILTERS.map((filter) => {
          const isCurrent = view.status === filter.value;
          return (
            <a
              key={filter.value}
              href={viewHref({ ...view, status: filter.value })}
              aria-current={isCurrent ? "page" : undefined}
              onClick={(event) => go(event, { ...view, status: filter.value })}
              className={`rounded-lg px-3 py-1.5 text-sm font-medium ${
                isCurrent
                  ? "bg-brand-600 text-white dark:bg-brand-500"
                  : "text-slate-700 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
              }`}
            >
              {filter.label}
            </a>
          );
        })}
      </nav>
      {view.tag ? (
        <p className="flex items-center gap-1 rounded-full bg-brand-50 py-0.5 pr-1 pl-2 text-sm text-brand-700 dark:bg-slate-800 dark:text-slate-200">
          Tagged #{view.tag}
          <a
            href={viewHref({ ...view, tag: "" })}
            className="btn-ghost min-h-6 min-w-6 px-1 py-0 text-xs"
            onClick={(event) => go(event, { ...view, tag: "" })}
          >
            <span aria-hidden="true">✕</span>
            <span className="sr-only">Show todos with any tag, not only #{view.tag}</span>
          </a>
        </p>
      ) : null}
      <div className="flex gap-2">
        <label className="sr-only" htmlFor="todo-search">
          Search todos
        </label>
        <input
          id="todo-search"
          type="search"
          className="field min-w-0 flex-1 py-1.5 text-sm sm:w-48"
          placeholder="Search…"
          value={query}
          onChange={(event) => {
            setQuery(event.currentTarget.value);
            window.history.replaceState(null, "", viewHref({ ...view, q: event.currentTarget.value }));
          }}
        />
        <label className="sr-only" htmlFor="todo-sort">
          Sort by
        </label>
        <select
          id="todo-sort"
          className="field w-auto py-1.5 text-sm"
          value={view.sort}
          onChange={(event) =>
            window.history.replaceState(
              null,
              "",
              viewHref({ ...view, sort: event.currentTarget.value as TodoView["sort"] }),
            )
          }
        >
          {SORTS.map((sort) => (
            <option key={sort.value} value={sort.value}>
              {sort.label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
