"use client";

import type { Priority, Todo, UpdateTodo } from "@taskvault/contract/todos";
import {
  type DragEvent,
  type FormEvent,
  type KeyboardEvent,
  memo,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";
import { ListsContext } from "../lists/lists-context.ts";
import { dateInputFromDueAt, dueAtFromDateInput, formatDue } from "./due-date.ts";
import { describeRecurrence } from "./quick-add.ts";
import { SubtasksContext } from "./subtasks-context.ts";
import { isOverdue } from "./todo-view.ts";

export type TodoActions = {
  update(id: string, changes: UpdateTodo): void;
  remove(todo: Todo): void;
  move(id: string, direction: "up" | "down"): void;
  drop(movingId: string, anchorId: string, side: "before" | "after"): void;
  addSubtask(parent: Todo, title: string): Promise<void>;
};

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
        {canReorder ? (
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
          disabled={isPending}
          aria-labelledby={titleId}
          onChange={(event) => actions.update(todo.id, { completed: event.currentTarget.checked })}
        />
        {isEditing ? (
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
              onDoubleClick={() => !isPending && setEditing(todo.id)}
            >
              {todo.title}
            </span>
            <TodoMeta todo={todo} overdue={overdue} />
          </div>
        )}
        {isEditing ? null : (
          <div className="flex shrink-0 items-center gap-0.5">
            <button
              type="button"
              className="btn-ghost"
              aria-label={`Details for ${todo.title}`}
              aria-expanded={isShowingDetails}
              disabled={isPending}
              onClick={() => setIsShowingDetails((shown) => !shown)}
            >
              <span aria-hidden="true">⋯</span>
            </button>
            <button
              type="button"
              className="btn-ghost"
              aria-label={`Edit ${todo.title}`}
              disabled={isPending}
              onClick={() => setEditing(todo.id)}
            >
              Edit
            </button>
            <button
              type="button"
              className="btn-ghost hover:text-red-700 dark:hover:text-red-400"
              aria-label={`Delete ${todo.title}`}
              disabled={isPending}
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
      {isShowingDetails && !isEditing ? (
        <TodoDetails
          todo={todo}
          onSave={(changes) => {
            setIsShowingDetails(false);
            actions.update(todo.id, changes);
          }}
          onCancel={() => setIsShowingDetails(false)}
        />
      ) : null}
      {isShowingDetails && !isEditing && !isPending ? <Subtasks parent={todo} actions={actions} /> : null}
    </li>
  );
});

/** A todo's subtasks in its details: tick them off, add more. */
function Subtasks({ parent, actions }: { parent: Todo; actions: TodoActions }) {
  const subtasks = useContext(SubtasksContext).get(parent.id) ?? [];
  const [isAdding, setIsAdding] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const input = form.elements.namedItem("subtask") as HTMLInputElement;
    const title = input.value.trim().slice(0, 200);
    if (!title) return;
    setIsAdding(true);
    await actions.addSubtask(parent, title);
    setIsAdding(false);
    input.value = "";
    input.focus();
  }

  const done = subtasks.filter((subtask) => subtask.completed).length;
  return (
    <section aria-label={`Subtasks of ${parent.title}`} className="mt-2 rounded-lg bg-slate-50 p-3 dark:bg-slate-950">
      <h3 className="label">Subtasks {subtasks.length > 0 ? `(${done}/${subtasks.length})` : null}</h3>
      {subtasks.length > 0 ? (
        <ul className="mb-2 space-y-1">
          {subtasks.map((subtask) => (
            <li key={subtask.id}>
              <label className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  className="size-4"
                  checked={subtask.completed}
                  disabled={subtask.id.startsWith("temp-")}
                  onChange={() => actions.update(subtask.id, { completed: !subtask.completed })}
                />
                <span className={subtask.completed ? "text-slate-500 line-through" : ""}>{subtask.title}</span>
              </label>
            </li>
          ))}
        </ul>
      ) : null}
      <form className="flex gap-2" onSubmit={onSubmit}>
        <input
          name="subtask"
          aria-label="New subtask"
          maxLength={200}
          className="field py-1 text-sm"
          autoComplete="off"
        />
        <button type="submit" className="btn-secondary shrink-0 py-1 text-sm" disabled={isAdding}>
          Add subtask
        </button>
      </form>
    </section>
  );
}

function TodoMeta({ todo, overdue }: { todo: Todo; overdue: boolean }) {
  const subtasks = useContext(SubtasksContext).get(todo.id) ?? [];
  const done = subtasks.filter((subtask) => subtask.completed).length;
  if (todo.priority === "none" && !todo.dueAt && todo.tags.length === 0 && !todo.description && subtasks.length === 0)
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
            {formatDue(todo.dueAt)}
          </time>
        </span>
      ) : null}
      {todo.tags.map((tag) => (
        <span
          key={tag}
          className="rounded-full bg-brand-50 px-2 py-0.5 text-brand-700 dark:bg-slate-800 dark:text-slate-200"
        >
          #{tag}
        </span>
      ))}
      {todo.description ? (
        <span className="truncate text-slate-600 dark:text-slate-400">{todo.description}</span>
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

const REPEATS: { value: string; label: string }[] = [
  { value: "", label: "Does not repeat" },
  { value: "FREQ=DAILY", label: "Every day" },
  { value: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", label: "Every weekday" },
  { value: "FREQ=WEEKLY", label: "Every week" },
  { value: "FREQ=MONTHLY", label: "Every month" },
  { value: "FREQ=YEARLY", label: "Every year" },
];

/** `<input type="datetime-local">` speaks local wall time without a zone. */
function localInputFromIso(iso: string | null): string {
  if (!iso) return "";
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

function TodoDetails({ todo, onSave, onCancel }: { todo: Todo; onSave(changes: UpdateTodo): void; onCancel(): void }) {
  const id = useId();
  const lists = useContext(ListsContext);
  const repeats =
    todo.recurrence && !REPEATS.some((repeat) => repeat.value === todo.recurrence)
      ? [...REPEATS, { value: todo.recurrence, label: describeRecurrence(todo.recurrence) }]
      : REPEATS;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const tags = [
      ...new Set(
        String(form.get("tags") ?? "")
          .split(",")
          .map((tag) => tag.trim().replace(/^#/, ""))
          .filter(Boolean)
          .map((tag) => tag.slice(0, 32)),
      ),
    ].slice(0, 20);
    onSave({
      priority: String(form.get("priority")) as Priority,
      dueAt: dueAtFromDateInput(String(form.get("due") ?? "")),
      tags,
      description: String(form.get("description") ?? "").slice(0, 5000),
      listId: String(form.get("list") ?? "") || null,
      recurrence: String(form.get("repeat") ?? "") || null,
      remindAt: form.get("remind") ? new Date(String(form.get("remind"))).toISOString() : null,
    });
  }

  return (
    <form className="mt-2 grid gap-3 rounded-lg bg-slate-50 p-3 sm:grid-cols-3 dark:bg-slate-950" onSubmit={onSubmit}>
      <div>
        <label className="label" htmlFor={`${id}-priority`}>
          Priority
        </label>
        <select id={`${id}-priority`} name="priority" className="field" defaultValue={todo.priority}>
          <option value="none">None</option>
          <option value="low">Low</option>
          <option value="medium">Medium</option>
          <option value="high">High</option>
        </select>
      </div>
      <div>
        <label className="label" htmlFor={`${id}-due`}>
          Due date
        </label>
        <input
          id={`${id}-due`}
          name="due"
          type="date"
          className="field"
          defaultValue={dateInputFromDueAt(todo.dueAt)}
        />
      </div>
      <div>
        <label className="label" htmlFor={`${id}-tags`}>
          Tags
        </label>
        <input
          id={`${id}-tags`}
          name="tags"
          className="field"
          placeholder="home, errands"
          defaultValue={todo.tags.join(", ")}
        />
      </div>
      <div>
        <label className="label" htmlFor={`${id}-list`}>
          List
        </label>
        <select id={`${id}-list`} name="list" className="field" defaultValue={todo.listId ?? ""}>
          <option value="">Inbox</option>
          {lists.map((list) => (
            <option key={list.id} value={list.id}>
              {list.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label className="label" htmlFor={`${id}-repeat`}>
          Repeat
        </label>
        <select id={`${id}-repeat`} name="repeat" className="field" defaultValue={todo.recurrence ?? ""}>
          {repeats.map((repeat) => (
            <option key={repeat.value} value={repeat.value}>
              {repeat.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label className="label" htmlFor={`${id}-remind`}>
          Reminder
        </label>
        <input
          id={`${id}-remind`}
          name="remind"
          type="datetime-local"
          className="field"
          defaultValue={localInputFromIso(todo.remindAt)}
        />
      </div>
      <div className="sm:col-span-3">
        <label className="label" htmlFor={`${id}-description`}>
          Notes
        </label>
        <textarea
          id={`${id}-description`}
          name="description"
          rows={2}
          maxLength={5000}
          className="field"
          defaultValue={todo.description}
        />
      </div>
      <div className="flex gap-2 sm:col-span-3">
        <button type="submit" className="btn-primary">
          Save details
        </button>
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
