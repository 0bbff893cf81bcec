"use client";

import type { Priority, RecurFrom, Todo, UpdateTodo } from "@taskvault/contract/todos";
import { type FormEvent, useContext, useId, useState } from "react";
import { ListsContext } from "../lists/lists-context.ts";
import { AssigneeField } from "../sharing/assignee-field.tsx";
import { canWriteTo } from "../sharing/members-context.ts";
import { CustomRepeatFields } from "./custom-repeat-fields.tsx";
import {
  dateInputFromDueAt,
  dueAtFromInputs,
  isoFromLocalInput,
  localInputFromIso,
  timeInputFromDueAt,
} from "./due-date.ts";
import { type CustomRepeat, customRepeatOf, describeRecurrence, keepingMonthEnds, ruleOf } from "./repeat-rule.ts";
import { Subtasks } from "./subtasks.tsx";
import { TimeZoneContext, useBrowserTimeZone } from "./time-zone.ts";
import type { TodoActions } from "./todo-actions.ts";

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
      // Only shared lists show the picker; elsewhere the assignee is left as it is.
      ...(form.has("assignee") && { assigneeId: field("assignee") || null }),
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
          {/* A viewer cannot move todos into a list; the todo's own list stays listed. */}
          {lists
            .filter((list) => canWriteTo(list) || list.id === todo.listId)
            .map((list) => (
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
      <AssigneeField todo={todo} id={`${id}-assignee`} />
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
