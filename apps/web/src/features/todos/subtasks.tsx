"use client";

import type { Todo } from "@taskvault/contract/todos";
import { type FormEvent, useContext, useState } from "react";
import { MoveButtons } from "@/components/move-buttons.tsx";
import { SubtasksContext } from "./subtasks-context.ts";
import type { TodoActions } from "./todo-actions.ts";

/**
 * A todo's subtasks, as deep as the API allows: tick off, add (also to a subtask), move up and
 * down, delete. How deep is the API's rule; when it refuses, its message shows by the form.
 */
export function Subtasks({ parent, actions }: { parent: Todo; actions: TodoActions }) {
  const subtasks = useContext(SubtasksContext).get(parent.id) ?? [];
  const done = subtasks.filter((subtask) => subtask.completed).length;
  return (
    <section aria-label={`Subtasks of ${parent.title}`} className="mt-2 rounded-lg bg-slate-50 p-3 dark:bg-slate-950">
      <h3 className="label">Subtasks {subtasks.length > 0 ? `(${done}/${subtasks.length})` : null}</h3>
      <SubtaskList subtasks={subtasks} actions={actions} />
      <AddSubtaskForm parent={parent} actions={actions} fieldLabel="New subtask" submitLabel="Add subtask" />
    </section>
  );
}

function SubtaskList({ subtasks, actions }: { subtasks: Todo[]; actions: TodoActions }) {
  if (subtasks.length === 0) return null;
  return (
    <ul className="mb-2 space-y-1">
      {subtasks.map((subtask, index) => (
        <SubtaskItem
          key={subtask.id}
          subtask={subtask}
          isFirst={index === 0}
          isLast={index === subtasks.length - 1}
          actions={actions}
        />
      ))}
    </ul>
  );
}

const SMALL_BUTTON = "btn-ghost min-h-7 min-w-7 px-1 text-xs";

function SubtaskItem({
  subtask,
  isFirst,
  isLast,
  actions,
}: {
  subtask: Todo;
  isFirst: boolean;
  isLast: boolean;
  actions: TodoActions;
}) {
  const children = useContext(SubtasksContext).get(subtask.id) ?? [];
  const [isAdding, setIsAdding] = useState(false);
  const isPending = subtask.id.startsWith("temp-");
  const done = children.filter((child) => child.completed).length;

  return (
    <li>
      <div className="flex items-center gap-0.5">
        <label className="flex min-w-0 flex-1 items-center gap-2 text-sm">
          <input
            type="checkbox"
            className="size-4 shrink-0"
            checked={subtask.completed}
            disabled={isPending}
            onChange={() => actions.update(subtask.id, { completed: !subtask.completed })}
          />
          <span className={`break-words ${subtask.completed ? "text-slate-500 line-through" : ""}`}>
            {subtask.title}
          </span>
        </label>
        {children.length > 0 ? (
          <span className="px-1 text-xs tabular-nums text-slate-600 dark:text-slate-400">
            ({done}/{children.length})
          </span>
        ) : null}
        <MoveButtons
          name={subtask.title}
          className={SMALL_BUTTON}
          canMoveUp={!isFirst && !isPending}
          canMoveDown={!isLast && !isPending}
          onMove={(direction) => actions.move(subtask.id, direction)}
        />
        <button
          type="button"
          className={SMALL_BUTTON}
          aria-label={`Add a subtask to ${subtask.title}`}
          aria-expanded={isAdding}
          disabled={isPending}
          onClick={() => setIsAdding((adding) => !adding)}
        >
          <span aria-hidden="true">+</span>
        </button>
        <button
          type="button"
          className={`${SMALL_BUTTON} hover:text-red-700 dark:hover:text-red-400`}
          aria-label={`Delete subtask ${subtask.title}`}
          disabled={isPending}
          onClick={() => actions.remove(subtask)}
        >
          <span aria-hidden="true">✕</span>
        </button>
      </div>
      <div className="ml-6">
        <SubtaskList subtasks={children} actions={actions} />
        {isAdding ? (
          <AddSubtaskForm
            parent={subtask}
            actions={actions}
            fieldLabel={`Subtask of ${subtask.title}`}
            submitLabel="Add"
            onClose={() => setIsAdding(false)}
          />
        ) : null}
      </div>
    </li>
  );
}

function AddSubtaskForm({
  parent,
  actions,
  fieldLabel,
  submitLabel,
  onClose,
}: {
  parent: Todo;
  actions: TodoActions;
  fieldLabel: string;
  submitLabel: string;
  /** For the forms opened on a subtask: Escape closes them. */
  onClose?: () => void;
}) {
  const [isAdding, setIsAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = event.currentTarget.elements.namedItem("subtask") as HTMLInputElement;
    const title = input.value.trim().slice(0, 200);
    if (!title) return;
    setIsAdding(true);
    setError(null);
    try {
      await actions.addSubtask(parent, title);
      input.value = "";
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : `Could not add “${title}”.`);
    } finally {
      setIsAdding(false);
      input.focus();
    }
  }

  return (
    <form className="mb-1 flex flex-wrap gap-2" onSubmit={onSubmit}>
      <input
        name="subtask"
        aria-label={fieldLabel}
        maxLength={200}
        className="field min-w-0 flex-1 py-1 text-sm"
        autoComplete="off"
        // biome-ignore lint/a11y/noAutofocus: the user just asked to add a subtask here
        autoFocus={onClose !== undefined}
        onKeyDown={(event) => event.key === "Escape" && onClose?.()}
      />
      <button type="submit" className="btn-secondary shrink-0 py-1 text-sm" disabled={isAdding}>
        {submitLabel}
      </button>
      {error ? (
        <p role="alert" className="w-full text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : null}
    </form>
  );
}
