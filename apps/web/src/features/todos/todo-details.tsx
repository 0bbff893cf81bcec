"use client";

import type { Priority, RecurFrom, Todo, UpdateTodo } from "@taskvault/contract/todos";
import { type FormEvent, useContext, useId, useState } from "react";
import { MoveButtons } from "@/components/move-buttons.tsx";
import { ListsContext } from "../lists/lists-context.ts";
import {
  dateInputFromDueAt,
  dueAtFromInputs,
  isoFromLocalInput,
  localInputFromIso,
  timeInputFromDueAt,
} from "./due-date.ts";
import {
  type CustomRepeat,
  customRepeatOf,
  describeRecurrence,
  keepingMonthEnds,
  REPEAT_UNITS,
  type RepeatUnit,
  ruleOf,
  WEEKDAYS,
} from "./repeat-rule.ts";
import { SubtasksContext } from "./subtasks-context.ts";
import { TimeZoneContext, useBrowserTimeZone } from "./time-zone.ts";
import type { TodoActions } from "./todo-item.tsx";

/**
 * A todo's details: the form for its fields, and its subtasks. Loaded only when first opened, so
 * the list itself downloads less.
 */
export default function TodoDetailsPanel({
  todo,
  actions,
  onSave,
  onCancel,
}: {
  todo: Todo;
  actions: TodoActions;
  onSave(changes: UpdateTodo): void;
  onCancel(): void;
}) {
  return (
    <>
      <TodoDetails todo={todo} onSave={onSave} onCancel={onCancel} />
      {todo.id.startsWith("temp-") ? null : <Subtasks parent={todo} actions={actions} />}
    </>
  );
}

const REPEATS: { value: string; label: string }[] = [
  { value: "", label: "Does not repeat" },
  { value: "FREQ=DAILY", label: "Every day" },
  { value: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", label: "Every weekday" },
  { value: "FREQ=WEEKLY", label: "Every week" },
  { value: "FREQ=MONTHLY", label: "Every month" },
  { value: "FREQ=MONTHLY;BYMONTHDAY=-1", label: "Every month on the last day" },
  { value: "FREQ=YEARLY", label: "Every year" },
];
const CUSTOM = "custom";
const UNIT_NAMES: Record<RepeatUnit, string> = { DAILY: "days", WEEKLY: "weeks", MONTHLY: "months", YEARLY: "years" };
const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

function TodoDetails({ todo, onSave, onCancel }: { todo: Todo; onSave(changes: UpdateTodo): void; onCancel(): void }) {
  const id = useId();
  const lists = useContext(ListsContext);
  const timeZone = useContext(TimeZoneContext);
  const browserTimeZone = useBrowserTimeZone();
  // What the inputs start with, so an untouched due date or reminder keeps its exact instant.
  const initial = {
    date: dateInputFromDueAt(todo.dueAt, timeZone),
    time: timeInputFromDueAt(todo.dueAt, timeZone),
    remind: localInputFromIso(todo.remindAt, timeZone),
  };
  const rule = todo.recurrence ?? "";
  const isPreset = REPEATS.some((repeat) => repeat.value === rule);
  const ruleAsCustom = isPreset ? null : customRepeatOf(rule);
  const [repeat, setRepeat] = useState(ruleAsCustom ? CUSTOM : rule);
  const [custom, setCustom] = useState<CustomRepeat>(ruleAsCustom ?? { every: 1, unit: "WEEKLY", weekdays: [] });
  // A rule the custom fields cannot show ("every month on the 15th") stays selectable as it is.
  const repeats = [
    ...REPEATS,
    ...(isPreset || ruleAsCustom ? [] : [{ value: rule, label: describeRecurrence(rule) }]),
    { value: CUSTOM, label: "Custom…" },
  ];

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const field = (name: string) => String(form.get(name) ?? "");
    const tags = [
      ...new Set(
        field("tags")
          .split(",")
          .map((tag) => tag.trim().replace(/^#/, ""))
          .filter(Boolean)
          .map((tag) => tag.slice(0, 32)),
      ),
    ].slice(0, 20);
    const [date, time, remind] = [field("due"), field("time"), field("remind")];
    const chosen = repeat === CUSTOM ? ruleOf(custom) : repeat || null;
    const recurrence = chosen && date ? keepingMonthEnds(chosen, date) : chosen;
    onSave({
      priority: field("priority") as Priority,
      dueAt: date === initial.date && time === initial.time ? todo.dueAt : dueAtFromInputs(date, time, timeZone),
      tags,
      description: field("description").slice(0, 5000),
      listId: field("list") || null,
      recurrence,
      ...(recurrence && { recurFrom: field("recurFrom") as RecurFrom }),
      remindAt: remind === initial.remind ? todo.remindAt : isoFromLocalInput(remind, timeZone),
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
        <input id={`${id}-due`} name="due" type="date" className="field" defaultValue={initial.date} />
      </div>
      <div>
        <label className="label" htmlFor={`${id}-time`}>
          Due time
        </label>
        <input id={`${id}-time`} name="time" type="time" className="field" defaultValue={initial.time} />
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
        <select
          id={`${id}-repeat`}
          className="field"
          value={repeat}
          onChange={(event) => setRepeat(event.currentTarget.value)}
        >
          {repeats.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      {repeat === CUSTOM ? <CustomRepeatFields custom={custom} onChange={setCustom} /> : null}
      <div>
        <label className="label" htmlFor={`${id}-remind`}>
          Reminder
        </label>
        <input
          id={`${id}-remind`}
          name="remind"
          type="datetime-local"
          className="field"
          defaultValue={initial.remind}
        />
      </div>
      {repeat ? (
        <div>
          <label className="label" htmlFor={`${id}-from`}>
            Next one counts from
          </label>
          <select id={`${id}-from`} name="recurFrom" className="field" defaultValue={todo.recurFrom}>
            <option value="due">The due date</option>
            <option value="completion">Completion</option>
          </select>
        </div>
      ) : null}
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
      <div className="flex flex-wrap items-center gap-2 sm:col-span-3">
        <button type="submit" className="btn-primary">
          Save details
        </button>
        <button type="button" className="btn-secondary" onClick={onCancel}>
          Cancel
        </button>
        {browserTimeZone && browserTimeZone !== timeZone ? (
          <p className="text-xs text-slate-600 dark:text-slate-400">Dates and times are in {timeZone}.</p>
        ) : null}
      </div>
    </form>
  );
}

/** "Every [2] [weeks] on [Mon] [Thu]": the custom repeat, as an RRULE once saved. */
function CustomRepeatFields({ custom, onChange }: { custom: CustomRepeat; onChange(custom: CustomRepeat): void }) {
  return (
    <fieldset className="flex flex-wrap items-center gap-2 text-sm sm:col-span-3">
      <legend className="label">Custom repeat</legend>
      <span aria-hidden="true">Every</span>
      <input
        type="number"
        aria-label="Interval"
        min={1}
        max={99}
        className="field w-20 py-1"
        value={custom.every}
        onChange={(event) => onChange({ ...custom, every: Math.max(1, Number(event.currentTarget.value) || 1) })}
      />
      <select
        aria-label="Period"
        className="field w-auto py-1"
        value={custom.unit}
        onChange={(event) => onChange({ ...custom, unit: event.currentTarget.value as RepeatUnit })}
      >
        {REPEAT_UNITS.map((unit) => (
          <option key={unit} value={unit}>
            {UNIT_NAMES[unit]}
          </option>
        ))}
      </select>
      {custom.unit === "WEEKLY" ? (
        <span className="flex flex-wrap gap-1">
          <span aria-hidden="true">on</span>
          {WEEKDAYS.map((day, index) => (
            <label
              key={day}
              className="flex items-center gap-1 rounded-md border border-slate-300 px-1.5 dark:border-slate-700"
            >
              <input
                type="checkbox"
                checked={custom.weekdays.includes(day)}
                onChange={(event) =>
                  onChange({
                    ...custom,
                    weekdays: event.currentTarget.checked
                      ? [...custom.weekdays, day]
                      : custom.weekdays.filter((other) => other !== day),
                  })
                }
              />
              <span aria-hidden="true">{WEEKDAY_NAMES[index]?.slice(0, 3)}</span>
              <span className="sr-only">{WEEKDAY_NAMES[index]}</span>
            </label>
          ))}
        </span>
      ) : null}
    </fieldset>
  );
}

/**
 * A todo's subtasks, as deep as the API allows: tick off, add (also to a subtask), move up and
 * down, delete. How deep is the API's rule; when it refuses, its message shows by the form.
 */
function Subtasks({ parent, actions }: { parent: Todo; actions: TodoActions }) {
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
