"use client";

import type { CreateTodo, Todo, UpdateTodo } from "@taskvault/contract/todos";
import { type RefObject, useMemo, useRef, useState } from "react";
import type { ShowToast } from "@/components/toasts.tsx";
import { BffError, messageOf } from "@/lib/bff-client.ts";
import { viewerRefusal } from "../sharing/sharing-api.ts";
import { formatDue } from "./due-date.ts";
import type { TodoActions } from "./todo-actions.ts";
import * as api from "./todo-api.ts";
import { applyChanges, applyIncoming, mergeReloaded, pick, settleCreated } from "./todo-merge.ts";
import { positionNextTo, positionOneStep, type TodoView, visibleTodos } from "./todo-view.ts";

/**
 * The todos on screen and every way they change. Changes are optimistic: the screen updates at
 * once, the BFF call follows, and a refusal rolls the change back with a message. Calls for one
 * todo run one after another (`queues`), each with the version the previous one returned
 * (`confirmed`: the server's truth per todo), so quick toggles never trip over their own If-Match.
 * The live stream's changes are reconciled with calls in flight (todo-merge.ts).
 */
export function useTodoStore({
  initialTodos,
  show,
  timeZoneRef,
  viewRef,
}: {
  initialTodos: Todo[];
  show: ShowToast;
  timeZoneRef: RefObject<string>;
  viewRef: RefObject<TodoView>;
}) {
  const [todos, setTodos] = useState(initialTodos);
  const todosRef = useRef(todos);
  todosRef.current = todos;
  const queues = useRef(new Map<string, Promise<unknown>>());
  // Server truth per todo: what the last successful call returned (its version feeds If-Match).
  const confirmedRef = useRef(new Map<string, Todo>());

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
      show({
        tone: "error",
        message: viewerRefusal(error, before.title) ?? `Could not save “${before.title}”: ${messageOf(error)}`,
      });
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
            show({
              tone: "error",
              message: viewerRefusal(error, todo.title) ?? `Could not delete “${todo.title}”: ${messageOf(error)}`,
            });
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
  }, [show, viewRef, timeZoneRef]);

  /** The stream's side: todos changed or deleted elsewhere, or the whole list after a gap. */
  const live = {
    upserted(incoming: Todo) {
      // A todo with calls in flight is settled by those calls; applying the echo of our own
      // first call would briefly undo the optimistic state of the next.
      if (queues.current.has(incoming.id)) return;
      const known = confirmedRef.current.get(incoming.id);
      if (known && known.version > incoming.version) return;
      confirmedRef.current.set(incoming.id, incoming);
      setTodos((current) => applyIncoming(current, incoming));
    },
    deleted(id: string) {
      confirmedRef.current.delete(id);
      setTodos((current) => current.filter((todo) => todo.id !== id));
    },
    reloaded(fresh: Todo[]) {
      for (const todo of fresh) {
        const known = confirmedRef.current.get(todo.id);
        if (!known || known.version <= todo.version) confirmedRef.current.set(todo.id, todo);
      }
      setTodos((current) => mergeReloaded(current, fresh, queues.current));
    },
  };

  /**
   * Adds a todo: a placeholder at once, replaced by the created todo (or removed, with a message,
   * when the API refuses). Resolves to whether it was created.
   */
  async function create(placeholder: Todo, fields: Omit<CreateTodo, "title">): Promise<boolean> {
    setTodos((current) => [...current, placeholder]);
    try {
      const created = await api.createTodo({ title: placeholder.title, ...fields });
      confirmedRef.current.set(created.id, created);
      setTodos((current) => settleCreated(current, placeholder.id, created));
      return true;
    } catch (error) {
      setTodos((current) => current.filter((todo) => todo.id !== placeholder.id));
      show({
        tone: "error",
        message: viewerRefusal(error, placeholder.title) ?? `Could not add “${placeholder.title}”: ${messageOf(error)}`,
      });
      return false;
    }
  }

  /** The highest position among the todos, so a new one goes last. */
  const lastPosition = () => todosRef.current.reduce((max, todo) => Math.max(max, todo.position), 0);

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

  const completeAll = () =>
    bulk((todo) => (todo.completed ? todo : { ...todo, completed: true }), api.completeAll, "Could not complete all");
  const clearCompleted = () =>
    bulk((todo) => (todo.completed ? null : todo), api.clearCompleted, "Could not clear completed");

  /** A list was deleted: its todos went with it, or moved to the inbox. */
  function listRemoved(listId: string, todosGo?: "delete" | "inbox") {
    setTodos((current) =>
      todosGo === "delete"
        ? current.filter((todo) => todo.listId !== listId)
        : current.map((todo) => (todo.listId === listId ? { ...todo, listId: null } : todo)),
    );
  }

  return { todos, actions, live, create, lastPosition, completeAll, clearCompleted, listRemoved };
}
