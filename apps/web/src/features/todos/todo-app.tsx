"use client";

import { dayIn } from "@taskvault/contract/calendar";
import type { List } from "@taskvault/contract/lists";
import type { CreateTodo, ParsedTodo, Todo, UpdateTodo } from "@taskvault/contract/todos";
import { useSearchParams } from "next/navigation";
import { type FormEvent, lazy, type MouseEvent, Suspense, useEffect, useMemo, useRef, useState } from "react";
import { ToastRegion, useToasts } from "@/components/toasts.tsx";
import { BffError } from "@/lib/bff-client.ts";
import * as listApi from "../lists/list-api.ts";
import { ListsContext } from "../lists/lists-context.ts";
import { type ListActions, ListsSidebar } from "../lists/lists-sidebar.tsx";
import { dueAtFromInputs, formatDue } from "./due-date.ts";
import { chipsOf } from "./quick-add.ts";
import { ReminderBell } from "./reminder-bell.tsx";
import { groupSubtasks, SubtasksContext } from "./subtasks-context.ts";
import { TimeZoneContext, useDayRollover, useTimeZone } from "./time-zone.ts";
import type { TodoActions } from "./todo-actions.ts";
import * as api from "./todo-api.ts";
import { TodoItem } from "./todo-item.tsx";
import {
  activeCountsByList,
  countActive,
  DATE_VIEWS,
  groupByDay,
  parseView,
  positionNextTo,
  positionOneStep,
  SORTS,
  STATUS_FILTERS,
  type TodoView,
  viewHref,
  visibleTodos,
} from "./todo-view.ts";
import { useLiveChanges } from "./use-live-changes.ts";
import { useReminders } from "./use-reminders.ts";

// Rarely shown (a profile still on UTC, seen from elsewhere), so fetched only when it is.
const TimeZoneOffer = lazy(() => import("./time-zone-offer.tsx"));

/**
 * The interactive todo list. It starts from the server-rendered todos and changes them
 * optimistically: the screen updates at once, the BFF call follows, and a refusal rolls the change
 * back with a message. Calls for one todo run one after another, each with the version the
 * previous one returned, so quick toggles never trip over their own If-Match.
 */
export function TodoApp({
  initialTodos,
  initialLists,
  profileTimeZone,
}: {
  initialTodos: Todo[];
  initialLists: List[];
  /** The zone of the user's profile, when the API says (see `useTimeZone`). */
  profileTimeZone: string | undefined;
}) {
  const view = parseView(useSearchParams());
  // Set here when the user accepts their device's zone for a profile still on the default UTC.
  const [chosenTimeZone, setChosenTimeZone] = useState<string | undefined>(undefined);
  const timeZone = useTimeZone(chosenTimeZone ?? profileTimeZone);
  const timeZoneRef = useRef(timeZone);
  timeZoneRef.current = timeZone;
  useDayRollover(timeZone);
  const viewRef = useRef(view);
  viewRef.current = view;
  const [todos, setTodos] = useState(initialTodos);
  const [lists, setLists] = useState(initialLists);
  const [editingId, setEditingId] = useState<string | null>(null);
  const { toasts, show, dismiss } = useToasts();
  const todosRef = useRef(todos);
  todosRef.current = todos;
  const queues = useRef(new Map<string, Promise<unknown>>());
  // Server truth per todo: what the last successful call returned (its version feeds If-Match).
  const confirmedRef = useRef(new Map<string, Todo>());
  const newTodoInput = useRef<HTMLInputElement>(null);
  const listsRef = useRef(lists);
  listsRef.current = lists;
  // Quick add: what the API understood of the text being typed, and whether to keep it literal.
  const [understood, setUnderstood] = useState<{ text: string; parsed: ParsedTodo } | null>(null);
  const understoodRef = useRef(understood);
  understoodRef.current = understood;
  const [isLiteral, setIsLiteral] = useState(false);
  const parseTimer = useRef<number | undefined>(undefined);
  const parseAbort = useRef<AbortController | null>(null);

  function scheduleParse(text: string) {
    window.clearTimeout(parseTimer.current);
    parseAbort.current?.abort();
    const trimmed = text.trim();
    if (!trimmed) return setUnderstood(null);
    parseTimer.current = window.setTimeout(() => {
      const controller = new AbortController();
      parseAbort.current = controller;
      api.parseQuickAdd(trimmed, timeZoneRef.current, controller.signal).then(
        (parsed) => {
          if (!controller.signal.aborted) setUnderstood({ text: trimmed, parsed });
        },
        () => undefined,
      );
    }, 200);
  }

  /** The list a `#Name` means: an existing one (any case), else a new one made on the spot. */
  async function resolveListName(name: string): Promise<string | null> {
    const known = listsRef.current.find((list) => list.name.toLocaleLowerCase() === name.toLocaleLowerCase());
    if (known) return known.id;
    try {
      const created = await listApi.createList(name);
      setLists((current) => upsertList(current, created));
      return created.id;
    } catch {
      return null;
    }
  }

  const actions = useMemo<TodoActions>(() => {
    const find = (id: string) => todosRef.current.find((todo) => todo.id === id);
    const replace = (id: string, next: Todo | null) =>
      setTodos((current) =>
        next === null
          ? current.filter((todo) => todo.id !== id)
          : current.map((todo) => (todo.id === id ? next : todo)),
      );

    /** Runs `task` after every earlier call for the same todo has settled. */
    function enqueue(id: string, task: () => Promise<void>) {
      const previous = queues.current.get(id) ?? Promise.resolve();
      const run = previous.then(task, task).finally(() => {
        if (queues.current.get(id) === run) queues.current.delete(id);
      });
      queues.current.set(id, run);
    }

    const confirmed = confirmedRef.current;
    const confirmedOf = (id: string) => confirmed.get(id) ?? find(id);

    function update(id: string, changes: UpdateTodo) {
      const before = find(id);
      if (!before) return;
      setTodos((current) => current.map((todo) => (todo.id === id ? applyChanges(todo, changes) : todo)));
      enqueue(id, async () => {
        const base = confirmedOf(id);
        if (!base) return;
        try {
          const { next, ...saved } = await api.updateTodo(id, changes, base.version);
          confirmed.set(id, saved);
          if (next) addNextInstance(next);
          // Later optimistic edits may be queued: keep their values, take the server's bookkeeping.
          setTodos((current) =>
            current.map((todo) =>
              todo.id === id
                ? {
                    ...todo,
                    ...pick(saved, changes),
                    version: saved.version,
                    updatedAt: saved.updatedAt,
                    completedAt: saved.completedAt,
                  }
                : todo,
            ),
          );
        } catch (error) {
          await recoverFrom(error, id, before, changes);
        }
      });
    }

    async function recoverFrom(error: unknown, id: string, before: Todo, changes: UpdateTodo) {
      if (error instanceof BffError && error.status === 412) {
        try {
          const latest = await api.fetchTodo(id);
          confirmed.set(id, latest);
          replace(id, latest);
          show({
            tone: "error",
            message: `“${latest.title}” was changed elsewhere. Showing the latest version; try again.`,
          });
        } catch {
          replace(id, null);
          show({ tone: "error", message: "That todo no longer exists." });
        }
        return;
      }
      if (error instanceof BffError && error.status === 404) {
        replace(id, null);
        show({ tone: "error", message: `“${before.title}” no longer exists.` });
        return;
      }
      // Roll back only the fields this change touched; other edits may have succeeded since.
      setTodos((current) => current.map((todo) => (todo.id === id ? { ...todo, ...pick(before, changes) } : todo)));
      show({ tone: "error", message: `Could not save “${before.title}”: ${messageOf(error)}` });
    }

    /** Completing a recurring todo created its next instance: show it now, not when the stream brings it. */
    function addNextInstance(next: Todo) {
      confirmed.set(next.id, next);
      setTodos((current) => (current.some((todo) => todo.id === next.id) ? current : [...current, next]));
      const due = next.dueAt ? `, due ${formatDue(next.dueAt, timeZoneRef.current)}` : "";
      show({ tone: "info", message: `“${next.title}” repeats: the next one is added${due}.` });
    }

    function remove(todo: Todo) {
      const index = todosRef.current.findIndex((item) => item.id === todo.id);
      replace(todo.id, null);
      enqueue(todo.id, async () => {
        try {
          await api.deleteTodo(todo.id);
        } catch (error) {
          if (!(error instanceof BffError && error.status === 404)) {
            setTodos((current) => [...current.slice(0, index), todo, ...current.slice(index)]);
            show({ tone: "error", message: `Could not delete “${todo.title}”: ${messageOf(error)}` });
            return;
          }
        }
        show({
          tone: "info",
          message: `Deleted “${todo.title}”.`,
          action: { label: "Undo", run: () => void restore(todo) },
        });
      });
    }

    async function restore(todo: Todo) {
      try {
        const created = await api.createTodo({
          title: todo.title,
          description: todo.description,
          completed: todo.completed,
          dueAt: todo.dueAt,
          priority: todo.priority,
          tags: todo.tags,
          position: todo.position,
          // Fields the undone todo carried (undefined ones are left out of the JSON).
          listId: todo.listId,
          parentId: todo.parentId,
          recurrence: todo.recurrence,
          recurFrom: todo.recurFrom,
          remindAt: todo.remindAt,
          timezone: todo.timezone,
        });
        confirmed.set(created.id, created);
        setTodos((current) => (current.some((item) => item.id === created.id) ? current : [...current, created]));
        show({ tone: "info", message: `Restored “${created.title}”.` });
      } catch (error) {
        show({ tone: "error", message: `Could not restore “${todo.title}”: ${messageOf(error)}` });
      }
    }

    function reposition(id: string, position: number | null) {
      if (position !== null) update(id, { position });
    }

    return {
      update,
      remove,
      move(id, direction) {
        const moving = find(id);
        if (moving && moving.parentId !== null) {
          // A subtask moves among its siblings, in its parent's details.
          const siblings = todosRef.current.filter((todo) => todo.parentId === moving.parentId);
          reposition(id, positionOneStep(siblings, id, direction));
          return;
        }
        const ordered = visibleTodos(
          todosRef.current,
          { status: "all", q: "", sort: "position", list: viewRef.current.list },
          timeZoneRef.current,
        );
        const index = ordered.findIndex((todo) => todo.id === id);
        const anchor = ordered[direction === "up" ? index - 1 : index + 1];
        if (index === -1 || !anchor) return;
        reposition(id, positionNextTo(todosRef.current, id, anchor.id, direction === "up" ? "before" : "after"));
        const title = ordered[index]?.title ?? "";
        show({ tone: "info", message: `Moved “${title}” ${direction}.` });
      },
      async addSubtask(parent, title) {
        try {
          const created = await api.createTodo({ title, parentId: parent.id, listId: parent.listId });
          confirmed.set(created.id, created);
          setTodos((current) => (current.some((todo) => todo.id === created.id) ? current : [...current, created]));
        } catch (error) {
          // Shown by the form it came from (e.g. the API's "at most 3 levels deep").
          throw new Error(`Could not add “${title}”: ${messageOf(error)}`);
        }
      },
      drop(movingId, anchorId, side) {
        reposition(movingId, positionNextTo(todosRef.current, movingId, anchorId, side));
      },
    };
  }, [show]);

  const reminders = useReminders(todos, show);
  const liveStatus = useLiveChanges({
    upserted(incoming) {
      // A todo with calls in flight is settled by those calls; applying the echo of our own
      // first call would briefly undo the optimistic state of the next.
      if (queues.current.has(incoming.id)) return;
      const known = confirmedRef.current.get(incoming.id);
      if (known && known.version > incoming.version) return;
      confirmedRef.current.set(incoming.id, incoming);
      setTodos((current) => {
        const index = current.findIndex((todo) => todo.id === incoming.id);
        if (index === -1) {
          // The echo of a todo this page is still creating takes its placeholder's place, so
          // there is never a moment with two of it on screen.
          const placeholder = current.find((todo) => todo.id.startsWith("temp-") && todo.title === incoming.title);
          if (placeholder) return current.map((todo) => (todo.id === placeholder.id ? incoming : todo));
          return [...current, incoming];
        }
        if ((current[index]?.version ?? 0) > incoming.version) return current;
        return current.map((todo) => (todo.id === incoming.id ? incoming : todo));
      });
    },
    deleted(id) {
      confirmedRef.current.delete(id);
      setTodos((current) => current.filter((todo) => todo.id !== id));
    },
    listUpserted(list) {
      setLists((current) => upsertList(current, list));
    },
    listDeleted(id) {
      setLists((current) => current.filter((list) => list.id !== id));
    },
    reloaded(fresh) {
      for (const todo of fresh) {
        const known = confirmedRef.current.get(todo.id);
        if (!known || known.version <= todo.version) confirmedRef.current.set(todo.id, todo);
      }
      setTodos((current) => mergeReloaded(current, fresh, queues.current));
    },
  });

  async function addTodo(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = newTodoInput.current;
    const text = input?.value.trim() ?? "";
    if (!input || !text) return;
    input.value = "";
    input.focus();
    const keepLiteral = isLiteral;
    window.clearTimeout(parseTimer.current);
    parseAbort.current?.abort();
    setUnderstood(null);
    setIsLiteral(false);
    // What the text means (already parsed while typing, or now); literal on request or on failure.
    let meaning: ParsedTodo | null = null;
    if (!keepLiteral) {
      const known = understoodRef.current;
      meaning = known?.text === text ? known.parsed : await api.parseQuickAdd(text, timeZone).catch(() => null);
      if (meaning && !meaning.title.trim()) meaning = null;
    }
    const title = meaning?.title.trim() ?? text;
    const isDateView = DATE_VIEWS.has(view.list);
    let listId = view.list === "all" || view.list === "inbox" || isDateView ? null : view.list;
    if (meaning?.listName) listId = (await resolveListName(meaning.listName)) ?? listId;
    const fields: Omit<CreateTodo, "title"> = {};
    if (listId) fields.listId = listId;
    if (meaning?.dueAt) fields.dueAt = meaning.dueAt;
    // Added in Today without a date of its own: due today, so it stays in view.
    else if (view.list === "today") fields.dueAt = dueAtFromInputs(dayIn(Date.now(), timeZone), "", timeZone);
    if (meaning?.recurrence) fields.recurrence = meaning.recurrence;
    if (meaning?.tags.length) fields.tags = meaning.tags;
    if (meaning && meaning.priority !== "none") fields.priority = meaning.priority;
    const now = new Date().toISOString();
    const lastPosition = todosRef.current.reduce((max, todo) => Math.max(max, todo.position), 0);
    const temp: Todo = {
      id: `temp-${crypto.randomUUID()}`,
      title: title.slice(0, 200),
      description: "",
      completed: false,
      completedAt: null,
      dueAt: null,
      priority: "none",
      tags: [],
      position: lastPosition + 1,
      createdAt: now,
      updatedAt: now,
      version: 0,
      listId: listId ?? null,
      parentId: null,
      recurrence: null,
      recurFrom: "due",
      remindAt: null,
      timezone: timeZone,
      ...fields,
    };
    setTodos((current) => [...current, temp]);
    try {
      const created = await api.createTodo({ title: temp.title, ...fields });
      confirmedRef.current.set(created.id, created);
      setTodos((current) => {
        // The live stream may have delivered the new todo first: then only the placeholder goes.
        if (current.some((todo) => todo.id === created.id)) return current.filter((todo) => todo.id !== temp.id);
        if (!current.some((todo) => todo.id === temp.id)) return [...current, created];
        return current.map((todo) => (todo.id === temp.id ? created : todo));
      });
    } catch (error) {
      setTodos((current) => current.filter((todo) => todo.id !== temp.id));
      if (!input.value) input.value = text;
      show({ tone: "error", message: `Could not add “${title}”: ${messageOf(error)}` });
    }
  }

  async function bulk(change: (todo: Todo) => Todo | null, call: () => Promise<void>, failure: string) {
    const before = todosRef.current;
    setTodos(before.flatMap((todo) => change(todo) ?? []));
    try {
      await call();
      const fresh = await api.fetchAllTodos();
      confirmedRef.current.clear();
      setTodos(fresh);
    } catch (error) {
      setTodos(before);
      show({ tone: "error", message: `${failure}: ${messageOf(error)}` });
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
      setTodos((current) =>
        todosGo === "delete"
          ? current.filter((todo) => todo.listId !== id)
          : current.map((todo) => (todo.listId === id ? { ...todo, listId: null } : todo)),
      );
    },
  };
  const totalsByList = new Map<string, number>();
  for (const todo of todos) if (todo.listId) totalsByList.set(todo.listId, (totalsByList.get(todo.listId) ?? 0) + 1);

  const shown = visibleTodos(todos, view, timeZone);
  const topLevel = todos.filter((todo) => todo.parentId === null);
  const activeCount = countActive(topLevel);
  const completedCount = topLevel.length - activeCount;
  const subtasksByParent = groupSubtasks(todos);
  const isDateView = DATE_VIEWS.has(view.list);
  const canReorder = view.sort === "position" && !isDateView;
  const renderItem = (todo: Todo) => (
    <TodoItem
      key={todo.id}
      todo={todo}
      actions={actions}
      canReorder={canReorder}
      isEditing={editingId === todo.id}
      setEditing={setEditingId}
    />
  );

  return (
    <ListsContext value={lists}>
      <TimeZoneContext value={timeZone}>
        <SubtasksContext value={subtasksByParent}>
          <div className="md:flex md:gap-4">
            <ListsSidebar
              lists={lists}
              counts={activeCountsByList(topLevel, timeZone)}
              totals={totalsByList}
              view={view}
              actions={listActions}
            />
            <div className="min-w-0 flex-1">
              <form onSubmit={addTodo} className="card flex items-center gap-2 p-2">
                <input
                  ref={newTodoInput}
                  className="field border-0 bg-transparent text-lg focus-visible:outline-offset-0 dark:bg-transparent"
                  aria-label="New todo"
                  placeholder="What needs to be done?"
                  maxLength={200}
                  autoComplete="off"
                  enterKeyHint="done"
                  aria-describedby="quick-add-understood"
                  onChange={(event) => scheduleParse(event.currentTarget.value)}
                />
                <button type="submit" className="btn-primary shrink-0">
                  Add
                </button>
                <ReminderBell fired={reminders.fired} clear={reminders.clear} />
              </form>
              <QuickAddUnderstood
                chips={
                  understood && !isLiteral
                    ? chipsOf(understood.parsed, (iso) => formatDue(iso, timeZone, { withWeekday: true }))
                    : []
                }
                isLiteral={isLiteral}
                canBeLiteral={understood !== null && chipsOf(understood.parsed).length > 0}
                toggleLiteral={() => setIsLiteral((literal) => !literal)}
              />

              <ViewControls view={view} />
              {liveStatus === "reconnecting" ? (
                <p role="status" className="mt-2 text-center text-xs text-slate-500 dark:text-slate-400">
                  Reconnecting…
                </p>
              ) : null}

              <section aria-label="Todo list" className="card mt-3 overflow-hidden" data-live-status={liveStatus}>
                <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-3 py-2 sm:px-4 dark:border-slate-800">
                  <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
                    {activeCount} {activeCount === 1 ? "item" : "items"} left
                  </p>
                  <div className="flex gap-1">
                    <button
                      type="button"
                      className="btn-ghost"
                      disabled={activeCount === 0}
                      onClick={() =>
                        void bulk(
                          (todo) => (todo.completed ? todo : { ...todo, completed: true }),
                          api.completeAll,
                          "Could not complete all",
                        )
                      }
                    >
                      Mark all complete
                    </button>
                    <button
                      type="button"
                      className="btn-ghost"
                      disabled={completedCount === 0}
                      onClick={() =>
                        void bulk(
                          (todo) => (todo.completed ? null : todo),
                          api.clearCompleted,
                          "Could not clear completed",
                        )
                      }
                    >
                      Clear completed
                    </button>
                  </div>
                </div>
                {isDateView && shown.length > 0 ? (
                  <>
                    {profileTimeZone === "UTC" && chosenTimeZone === undefined ? (
                      <Suspense fallback={null}>
                        <TimeZoneOffer onAccept={setChosenTimeZone} />
                      </Suspense>
                    ) : null}
                    {/* Headed groups, so a screen reader can jump from day to day. */}
                    {groupByDay(shown, timeZone).map((group) => (
                      <section key={group.key} aria-labelledby={`day-${group.key}`}>
                        <h2
                          id={`day-${group.key}`}
                          className={`border-b border-slate-200 bg-slate-50 px-3 py-1.5 text-sm font-semibold sm:px-4 dark:border-slate-800 dark:bg-slate-950 ${
                            group.key === "overdue"
                              ? "text-red-700 dark:text-red-400"
                              : "text-slate-600 dark:text-slate-400"
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
              <ToastRegion toasts={toasts} dismiss={dismiss} />
            </div>
          </div>
        </SubtasksContext>
      </TimeZoneContext>
    </ListsContext>
  );
}

/**
 * What the quick-add field understood, as chips, with a switch to keep the text as typed. The
 * chips are the input's description, so a screen reader hears them too.
 */
function QuickAddUnderstood({
  chips,
  isLiteral,
  canBeLiteral,
  toggleLiteral,
}: {
  chips: ReturnType<typeof chipsOf>;
  isLiteral: boolean;
  canBeLiteral: boolean;
  toggleLiteral(): void;
}) {
  return (
    <div className="mt-1 flex min-h-0 flex-wrap items-center gap-1 px-1">
      <ul id="quick-add-understood" aria-label="Understood" className="flex flex-wrap gap-1">
        {chips.map((chip) => (
          <li
            key={`${chip.kind}-${chip.label}`}
            className="rounded-full bg-brand-50 px-2 py-0.5 text-xs text-brand-600 dark:bg-slate-800 dark:text-slate-100"
          >
            {chip.label}
          </li>
        ))}
      </ul>
      {canBeLiteral || isLiteral ? (
        <button
          type="button"
          aria-pressed={isLiteral}
          className="btn-ghost px-2 py-0.5 text-xs"
          onClick={toggleLiteral}
        >
          Keep text as typed
        </button>
      ) : null}
    </div>
  );
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

function ViewControls({ view }: { view: TodoView }) {
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

function EmptyState({ view, hasTodos }: { view: TodoView; hasTodos: boolean }) {
  let message = "Nothing to do yet. Add your first todo above.";
  if (hasTodos && view.q.trim()) message = `No todos match “${view.q.trim()}”.`;
  else if (hasTodos && view.status === "active") message = "All done. Nothing active left!";
  else if (hasTodos && view.status === "completed") message = "No completed todos yet.";
  return <p className="px-4 py-10 text-center text-slate-600 dark:text-slate-400">{message}</p>;
}

/**
 * The whole list after a gap, merged so nothing the user is doing right now flickers: todos with
 * calls in flight keep their optimistic state (and stay gone if being deleted), a newer version
 * already on screen wins, and placeholders of todos still being created stay until created.
 */
function mergeReloaded(current: Todo[], fresh: Todo[], pending: Map<string, unknown>): Todo[] {
  const shown = new Map(current.map((todo) => [todo.id, todo]));
  const merged: Todo[] = [];
  for (const todo of fresh) {
    const mine = shown.get(todo.id);
    if (pending.has(todo.id)) {
      if (mine) merged.push(mine);
      continue;
    }
    merged.push(mine && mine.version > todo.version ? mine : todo);
  }
  const arrived = new Set(fresh.filter((todo) => !shown.has(todo.id)).map((todo) => todo.title));
  const placeholders = current.filter((todo) => todo.id.startsWith("temp-") && !arrived.has(todo.title));
  return [...merged, ...placeholders];
}

function applyChanges(todo: Todo, changes: UpdateTodo): Todo {
  const next = { ...todo, ...changes } as Todo;
  if (changes.completed !== undefined && changes.completed !== todo.completed) {
    next.completedAt = changes.completed ? new Date().toISOString() : null;
  }
  return next;
}

/** The fields of `source` named by `changes`. */
function pick(source: Todo, changes: UpdateTodo): Partial<Todo> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(changes)) picked[key] = source[key as keyof Todo];
  return picked as Partial<Todo>;
}

function messageOf(error: unknown): string {
  if (error instanceof BffError) {
    const fields = Object.values(error.fieldErrors).flat();
    return fields.length ? fields.join(" ") : error.message;
  }
  return "something went wrong.";
}
