"use client";

import type { Priority, Todo } from "@taskvault/contract/todos";
import {
  type DragEvent,
  type KeyboardEvent,
  lazy,
  memo,
  Suspense,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import { canWriteTo, useListOf } from "../sharing/members-context.ts";
import { TodoPeople } from "../sharing/todo-people.tsx";
import { formatDue } from "./due-date.ts";
import { describeRecurrence } from "./repeat-rule.ts";
import { SubtasksContext } from "./subtasks-context.ts";
import { TimeZoneContext } from "./time-zone.ts";
import type { TodoActions } from "./todo-actions.ts";
import { isOverdue, tagHref } from "./todo-view.ts";

// The details form and subtasks are a chunk of their own, fetched when first wanted (or when the
// pointer or focus reaches a Details button, so it is usually there by the click).
const loadDetails = () => import("./todo-details.tsx");
const TodoDetailsPanel = lazy(loadDetails);

type Props = {
  todo: Todo;
  actions: TodoActions;
  canReorder: boolean;
  isEditing: boolean;
  setEditing(id: string | null): void;
};

const PRIORITY_STYLE: Record<Priority, string> = {
  none: "",
  low: "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  medium: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  high: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
};

/** One todo: a checkbox named by its title, in-place title editing, details, and reordering. */
export const TodoItem = memo(function TodoItem({ todo, actions, canReorder, isEditing, setEditing }: Props) {
  const titleId = useId();
  const isPending = todo.id.startsWith("temp-");
  // A viewer of a shared list reads its todos: every control that would change one is off.
  const isReadOnly = !canWriteTo(useListOf(todo.listId));
  const isLocked = isPending || isReadOnly;
  const [isConfirmingDelete, setIsConfirmingDelete] = useState(false);
  const [isShowingDetails, setIsShowingDetails] = useState(false);
  const [isDropTarget, setIsDropTarget] = useState<"before" | "after" | null>(null);
  const overdue = isOverdue(todo);

  function onDragOver(event: DragEvent<HTMLLIElement>) {
    if (!canReorder || !event.dataTransfer.types.includes("application/x-taskvault-todo")) return;
    event.preventDefault();
    const box = event.currentTarget.getBoundingClientRect();
    setIsDropTarget(event.clientY < box.top + box.height / 2 ? "before" : "after");
  }

  function onDrop(event: DragEvent<HTMLLIElement>) {
    const movingId = event.dataTransfer.getData("application/x-taskvault-todo");
    const side = isDropTarget ?? "after";
    setIsDropTarget(null);
    if (!movingId || movingId === todo.id) return;
    event.preventDefault();
    actions.drop(movingId, todo.id, side);
  }

  return (
    <li
      className={`group border-b border-slate-200 px-3 py-2 last:border-b-0 sm:px-4 dark:border-slate-800 ${
        isDropTarget === "before" ? "border-t-2 border-t-brand-500" : ""
      } ${isDropTarget === "after" ? "border-b-2 border-b-brand-500" : ""}`}
      onDragOver={onDragOver}
      onDragLeave={() => setIsDropTarget(null)}
      onDrop={onDrop}
    >
      <div className="flex min-h-11 items-center gap-2 sm:gap-3">
        {canReorder && !isReadOnly ? (
          <button
            type="button"
            draggable
            className="btn-ghost hidden cursor-grab text-slate-500 sm:inline-flex dark:text-slate-400"
            aria-label={`Reorder ${todo.title}`}
            title="Drag, or press ↑/↓, to reorder"
            disabled={isPending}
            onDragStart={(event) => {
              event.dataTransfer.setData("application/x-taskvault-todo", todo.id);
              event.dataTransfer.effectAllowed = "move";
            }}
            onKeyDown={(event: KeyboardEvent) => {
              if (event.key === "ArrowUp" || event.key === "ArrowDown") {
                event.preventDefault();
                actions.move(todo.id, event.key === "ArrowUp" ? "up" : "down");
              }
            }}
          >
            <span aria-hidden="true">⋮⋮</span>
          </button>
        ) : null}
        <input
          type="checkbox"
          className="size-5 shrink-0 accent-brand-600"
          checked={todo.completed}
          disabled={isLocked}
          aria-labelledby={titleId}
          onChange={(event) => actions.update(todo.id, { completed: event.currentTarget.checked })}
        />
        {isEditing && !isReadOnly ? (
          <TitleEditor
            todo={todo}
            onSave={(title) => {
              setEditing(null);
              if (title !== todo.title) actions.update(todo.id, { title });
            }}
            onEmpty={() => setIsConfirmingDelete(true)}
            onCancel={() => setEditing(null)}
          />
        ) : (
          <div className="min-w-0 flex-1">
            {/* biome-ignore lint/a11y/noStaticElementInteractions: double-click is a mouse shortcut; the Edit button is the keyboard path */}
            <span
              id={titleId}
              className={`block break-words ${todo.completed ? "text-slate-500 line-through dark:text-slate-400" : ""}`}
              onDoubleClick={() => !isLocked && setEditing(todo.id)}
            >
              {todo.title}
            </span>
            <TodoMeta todo={todo} overdue={overdue} />
            <TodoPeople todo={todo} />
          </div>
        )}
        {isEditing ? null : (
          <div className="flex shrink-0 items-center gap-0.5">
            <button
              type="button"
              className="btn-ghost"
              aria-label={`Details for ${todo.title}`}
              aria-expanded={isShowingDetails}
              disabled={isLocked}
              onPointerEnter={loadDetails}
              onFocus={loadDetails}
              onClick={() => setIsShowingDetails((shown) => !shown)}
            >
              <span aria-hidden="true">⋯</span>
            </button>
            <button
              type="button"
              className="btn-ghost"
              aria-label={`Edit ${todo.title}`}
              disabled={isLocked}
              onClick={() => setEditing(todo.id)}
            >
              Edit
            </button>
            <button
              type="button"
              className="btn-ghost hover:text-red-700 dark:hover:text-red-400"
              aria-label={`Delete ${todo.title}`}
              disabled={isLocked}
              onClick={() => actions.remove(todo)}
            >
              Delete
            </button>
          </div>
        )}
      </div>
      {isConfirmingDelete ? (
        <div
          role="alertdialog"
          aria-label="Delete empty todo?"
          className="mt-2 flex flex-wrap items-center gap-2 text-sm"
        >
          <span>The title is empty. Delete this todo?</span>
          <button
            type="button"
            className="btn-danger min-h-8 px-3 py-1"
            onClick={() => {
              setIsConfirmingDelete(false);
              setEditing(null);
              actions.remove(todo);
            }}
          >
            Delete todo
          </button>
          <button
            type="button"
            className="btn-secondary min-h-8 px-3 py-1"
            onClick={() => {
              setIsConfirmingDelete(false);
              setEditing(null);
            }}
          >
            Keep it
          </button>
        </div>
      ) : null}
      {isShowingDetails && !isEditing && !isReadOnly ? (
        <Suspense fallback={<p className="mt-2 text-sm text-slate-600 dark:text-slate-400">Loading details…</p>}>
          <TodoDetailsPanel
            todo={todo}
            actions={actions}
            onSave={(changes) => {
              setIsShowingDetails(false);
              actions.update(todo.id, changes);
            }}
            onCancel={() => setIsShowingDetails(false)}
          />
        </Suspense>
      ) : null}
    </li>
  );
});

function TodoMeta({ todo, overdue }: { todo: Todo; overdue: boolean }) {
  const subtasks = useContext(SubtasksContext).get(todo.id) ?? [];
  const timeZone = useContext(TimeZoneContext);
  const done = subtasks.filter((subtask) => subtask.completed).length;
  if (
    todo.priority === "none" &&
    !todo.dueAt &&
    !todo.recurrence &&
    todo.tags.length === 0 &&
    !todo.description &&
    subtasks.length === 0
  )
    return null;
  return (
    <div className="mt-1 flex flex-wrap items-center gap-1.5 text-xs">
      {subtasks.length > 0 ? (
        <span
          className="whitespace-nowrap rounded-full bg-slate-100 px-2 py-0.5 tabular-nums text-slate-700 dark:bg-slate-800 dark:text-slate-300"
          title={`${done} of ${subtasks.length} subtasks done`}
        >
          {done}/{subtasks.length}
        </span>
      ) : null}
      {todo.priority !== "none" ? (
        <span className={`whitespace-nowrap rounded-full px-2 py-0.5 font-medium ${PRIORITY_STYLE[todo.priority]}`}>
          {todo.priority} priority
        </span>
      ) : null}
      {todo.dueAt ? (
        <span
          className={`whitespace-nowrap rounded-full px-2 py-0.5 ${
            overdue
              ? "bg-red-100 font-semibold text-red-900 dark:bg-red-950 dark:text-red-200"
              : "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300"
          }`}
        >
          {overdue ? "Overdue · " : "Due "}
          <time dateTime={todo.dueAt} suppressHydrationWarning>
            {formatDue(todo.dueAt, timeZone)}
          </time>
        </span>
      ) : null}
      {todo.recurrence ? (
        <span className="whitespace-nowrap rounded-full bg-slate-100 px-2 py-0.5 text-slate-700 dark:bg-slate-800 dark:text-slate-300">
          <span aria-hidden="true">↻ </span>
          {describeRecurrence(todo.recurrence)}
        </span>
      ) : null}
      {todo.tags.map((tag) => (
        <a
          key={tag}
          href={tagHref(tag)}
          title={`Show the todos tagged #${tag}`}
          className="rounded-full bg-brand-50 px-2 py-0.5 text-brand-700 hover:underline dark:bg-slate-800 dark:text-slate-200"
          onClick={(event) => {
            if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
            event.preventDefault();
            window.history.pushState(null, "", tagHref(tag));
          }}
        >
          #{tag}
        </a>
      ))}
      {todo.description ? (
        <span className="truncate text-slate-600 dark:text-slate-400">
          <TextWithLinks text={todo.description} />
        </span>
      ) : null}
    </div>
  );
}

function TitleEditor({
  todo,
  onSave,
  onEmpty,
  onCancel,
}: {
  todo: Todo;
  onSave(title: string): void;
  onEmpty(): void;
  onCancel(): void;
}) {
  const input = useRef<HTMLInputElement>(null);
  // Escape cancels; the blur that follows must not save what was just abandoned.
  const isDone = useRef(false);

  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  function commit() {
    if (isDone.current) return;
    const title = (input.current?.value ?? "").trim();
    if (!title) {
      isDone.current = true;
      onEmpty();
      return;
    }
    isDone.current = true;
    onSave(title.slice(0, 200));
  }

  return (
    <input
      ref={input}
      className="field min-w-0 flex-1 py-1"
      aria-label="Title"
      defaultValue={todo.title}
      maxLength={200}
      onBlur={commit}
      onKeyDown={(event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          commit();
        } else if (event.key === "Escape") {
          event.preventDefault();
          isDone.current = true;
          onCancel();
        }
      }}
    />
  );
}

// A web address in plain text, up to whitespace, minus trailing punctuation that ends the sentence.
const WEB_ADDRESS = /(https?:\/\/[^\s<>"]*[^\s<>"'.,;:!?)\]])/i;

/** Notes are plain text; web addresses in them become links (only http and https ones, never `javascript:`). */
function TextWithLinks({ text }: { text: string }) {
  // `split` with a capturing group puts the addresses at the odd indexes.
  return text.split(WEB_ADDRESS).map((part, index) =>
    index % 2 === 1 ? (
      <a
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one text never reorder
        key={index}
        href={part}
        target="_blank"
        rel="noopener noreferrer nofollow"
        className="text-brand-700 underline underline-offset-2 dark:text-brand-50"
      >
        {part}
      </a>
    ) : (
      part
    ),
  );
}
