"use client";

import { dayIn } from "@taskvault/contract/calendar";
import type { CreateTodo, ParsedTodo, Todo } from "@taskvault/contract/todos";
import { type FormEvent, type ReactNode, useRef, useState } from "react";
import { dueAtFromInputs, formatDue } from "./due-date.ts";
import { chipsOf } from "./quick-add.ts";
import * as api from "./todo-api.ts";
import { ASSIGNED_VIEW, DATE_VIEWS, type TodoView } from "./todo-view.ts";

/**
 * The quick-add form: one line of text, read by the API while typing ("Call mom tomorrow 5pm
 * #Family") and shown as chips, added to the list being viewed. `children` sit beside the button.
 */
export function QuickAddForm({
  view,
  timeZone,
  resolveListName,
  create,
  lastPosition,
  me,
  readOnlyReason,
  children,
}: {
  view: TodoView;
  timeZone: string;
  /** The list a `#Name` means: one the user may add to (any case), else a new one; null if none could be made. */
  resolveListName(name: string): Promise<string | null>;
  create(placeholder: Todo, fields: Omit<CreateTodo, "title">): Promise<boolean>;
  lastPosition(): number;
  /** The signed-in user's id: a todo added in Assigned to me is assigned to them, so it stays in view. */
  me?: string;
  /** Set when the list viewed is one the user only views: nothing can be added to it. */
  readOnlyReason?: string | null;
  children?: ReactNode;
}) {
  const newTodoInput = useRef<HTMLInputElement>(null);
  const timeZoneRef = useRef(timeZone);
  timeZoneRef.current = timeZone;
  // What the API understood of the text being typed, and whether to keep it literal.
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
    const isAssignedView = view.list === ASSIGNED_VIEW;
    let listId = view.list === "all" || view.list === "inbox" || isDateView || isAssignedView ? null : view.list;
    if (meaning?.listName) listId = (await resolveListName(meaning.listName)) ?? listId;
    const fields: Omit<CreateTodo, "title"> = {};
    if (listId) fields.listId = listId;
    if (isAssignedView && me) fields.assigneeId = me;
    if (meaning?.dueAt) fields.dueAt = meaning.dueAt;
    // Added in Today without a date of its own: due today, so it stays in view.
    else if (view.list === "today") fields.dueAt = dueAtFromInputs(dayIn(Date.now(), timeZone), "", timeZone);
    if (meaning?.recurrence) fields.recurrence = meaning.recurrence;
    // Added while a tag is shown: it carries the tag, so it stays in view.
    const tags = [...new Set([...(meaning?.tags ?? []), ...(view.tag ? [view.tag] : [])])];
    if (tags.length) fields.tags = tags;
    if (meaning && meaning.priority !== "none") fields.priority = meaning.priority;
    const now = new Date().toISOString();
    const temp: Todo = {
      id: `temp-${crypto.randomUUID()}`,
      title: title.slice(0, 200),
      description: "",
      completed: false,
      completedAt: null,
      dueAt: null,
      priority: "none",
      tags: [],
      position: lastPosition() + 1,
      createdAt: now,
      updatedAt: now,
      version: 0,
      listId: listId ?? null,
      parentId: null,
      recurrence: null,
      recurFrom: "due",
      remindAt: null,
      timezone: timeZone,
      // A placeholder until the API's answer replaces the optimistic row (it names the creator).
      createdBy: "",
      assigneeId: null,
      ...fields,
    };
    const created = await create(temp, fields);
    if (!created && !input.value) input.value = text;
  }

  return (
    <>
      <form onSubmit={addTodo} className="card flex items-center gap-2 p-2">
        <input
          ref={newTodoInput}
          className="field border-0 bg-transparent text-lg focus-visible:outline-offset-0 dark:bg-transparent"
          aria-label="New todo"
          placeholder="What needs to be done?"
          maxLength={200}
          autoComplete="off"
          enterKeyHint="done"
          aria-describedby={readOnlyReason ? "quick-add-read-only" : "quick-add-understood"}
          disabled={Boolean(readOnlyReason)}
          onChange={(event) => scheduleParse(event.currentTarget.value)}
        />
        <button type="submit" className="btn-primary shrink-0" disabled={Boolean(readOnlyReason)}>
          Add
        </button>
        {children}
      </form>
      {readOnlyReason ? (
        <p id="quick-add-read-only" className="mt-1 px-1 text-sm text-slate-600 dark:text-slate-400">
          {readOnlyReason}
        </p>
      ) : null}
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
    </>
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
