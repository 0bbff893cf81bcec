"use client";

import type { Todo } from "@taskvault/contract/todos";
import { lazy, type ReactNode, Suspense } from "react";
import { countActive, DATE_VIEWS, groupByDay, type TodoView, visibleTodos } from "./todo-view.ts";

// Rarely shown (a profile still on UTC, seen from elsewhere), so fetched only when it is.
const TimeZoneOffer = lazy(() => import("./time-zone-offer.tsx"));

/**
 * The list being viewed: how many are left, the bulk actions, and the todos — grouped under day
 * headings in the date views, flat otherwise — or what to do when there are none.
 */
export function TodoListSection({
  todos,
  view,
  timeZone,
  liveStatus,
  offerTimeZone,
  onAcceptTimeZone,
  completeAll,
  clearCompleted,
  renderItem,
  me,
  isReadOnly = false,
}: {
  todos: Todo[];
  /** The signed-in user's id (the Assigned to me view). */
  me?: string;
  /** A list the user only views: no bulk changes offered. */
  isReadOnly?: boolean;
  view: TodoView;
  timeZone: string;
  liveStatus: string;
  /** The profile is still on UTC and nobody chose otherwise: offer the device's zone. */
  offerTimeZone: boolean;
  onAcceptTimeZone(timeZone: string): void;
  completeAll(): Promise<void>;
  clearCompleted(): Promise<void>;
  renderItem(todo: Todo): ReactNode;
}) {
  const shown = visibleTodos(todos, view, timeZone, Date.now(), me);
  const topLevel = todos.filter((todo) => todo.parentId === null);
  const activeCount = countActive(topLevel);
  const completedCount = topLevel.length - activeCount;
  const isDateView = DATE_VIEWS.has(view.list);
  return (
    <section aria-label="Todo list" className="card mt-3 overflow-hidden" data-live-status={liveStatus}>
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-3 py-2 sm:px-4 dark:border-slate-800">
        <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
          {activeCount} {activeCount === 1 ? "item" : "items"} left
        </p>
        <div className="flex gap-1">
          <button
            type="button"
            className="btn-ghost"
            disabled={isReadOnly || activeCount === 0}
            onClick={() => void completeAll()}
          >
            Mark all complete
          </button>
          <button
            type="button"
            className="btn-ghost"
            disabled={isReadOnly || completedCount === 0}
            onClick={() => void clearCompleted()}
          >
            Clear completed
          </button>
        </div>
      </div>
      {isDateView && shown.length > 0 ? (
        <>
          {offerTimeZone ? (
            <Suspense fallback={null}>
              <TimeZoneOffer onAccept={onAcceptTimeZone} />
            </Suspense>
          ) : null}
          {/* Headed groups, so a screen reader can jump from day to day. */}
          {groupByDay(shown, timeZone).map((group) => (
            <section key={group.key} aria-labelledby={`day-${group.key}`}>
              <h2
                id={`day-${group.key}`}
                className={`border-b border-slate-200 bg-slate-50 px-3 py-1.5 text-sm font-semibold sm:px-4 dark:border-slate-800 dark:bg-slate-950 ${
                  group.key === "overdue" ? "text-red-700 dark:text-red-400" : "text-slate-600 dark:text-slate-400"
                }`}
              >
                {group.label}
              </h2>
              <ul aria-label={group.label}>{group.todos.map(renderItem)}</ul>
            </section>
          ))}
        </>
      ) : shown.length > 0 ? (
        <ul aria-label="Todos">{shown.map(renderItem)}</ul>
      ) : (
        <EmptyState view={view} hasTodos={todos.length > 0} />
      )}
    </section>
  );
}

function EmptyState({ view, hasTodos }: { view: TodoView; hasTodos: boolean }) {
  let message = "Nothing to do yet. Add your first todo above.";
  if (hasTodos && view.q.trim()) message = `No todos match “${view.q.trim()}”.`;
  else if (hasTodos && view.tag) message = `No todos tagged #${view.tag} here.`;
  else if (hasTodos && view.status === "active") message = "All done. Nothing active left!";
  else if (hasTodos && view.status === "completed") message = "No completed todos yet.";
  return <p className="px-4 py-10 text-center text-slate-600 dark:text-slate-400">{message}</p>;
}
