"use client";

import type { List } from "@taskvault/contract/lists";
import type { Todo } from "@taskvault/contract/todos";
import { useSearchParams } from "next/navigation";
import { useRef, useState } from "react";
import { ToastRegion, useToasts } from "@/components/toasts.tsx";
import { ListsContext } from "../lists/lists-context.ts";
import { ListsSidebar } from "../lists/lists-sidebar.tsx";
import { useListsStore } from "../lists/use-lists-store.ts";
import { QuickAddForm } from "./quick-add-form.tsx";
import { ReminderBell } from "./reminder-bell.tsx";
import { groupSubtasks, SubtasksContext } from "./subtasks-context.ts";
import { TimeZoneContext, useDayRollover, useTimeZone } from "./time-zone.ts";
import { TodoItem } from "./todo-item.tsx";
import { TodoListSection } from "./todo-list-section.tsx";
import { activeCountsByList, DATE_VIEWS, parseView } from "./todo-view.ts";
import { useLiveChanges } from "./use-live-changes.ts";
import { useReminders } from "./use-reminders.ts";
import { useTodoStore } from "./use-todo-store.ts";
import { ViewControls } from "./view-controls.tsx";

/**
 * The interactive todo list: the contexts (lists, time zone, subtasks) and the layout. The todos
 * live in useTodoStore (optimistic changes, reconciled with the live stream), the lists in
 * useListsStore; the parts below render them.
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
  const [editingId, setEditingId] = useState<string | null>(null);
  const { toasts, show, dismiss } = useToasts();
  const store = useTodoStore({ initialTodos, show, timeZoneRef, viewRef });
  const lists = useListsStore({ initialLists, onRemoved: store.listRemoved });
  const { todos } = store;
  const reminders = useReminders(todos, show);
  const liveStatus = useLiveChanges({ ...store.live, ...lists.live });

  const totalsByList = new Map<string, number>();
  for (const todo of todos) if (todo.listId) totalsByList.set(todo.listId, (totalsByList.get(todo.listId) ?? 0) + 1);
  const topLevel = todos.filter((todo) => todo.parentId === null);
  const canReorder = view.sort === "position" && !DATE_VIEWS.has(view.list);
  const renderItem = (todo: Todo) => (
    <TodoItem
      key={todo.id}
      todo={todo}
      actions={store.actions}
      canReorder={canReorder}
      isEditing={editingId === todo.id}
      setEditing={setEditingId}
    />
  );

  return (
    <ListsContext value={lists.lists}>
      <TimeZoneContext value={timeZone}>
        <SubtasksContext value={groupSubtasks(todos)}>
          <div className="md:flex md:gap-4">
            <ListsSidebar
              lists={lists.lists}
              counts={activeCountsByList(topLevel, timeZone)}
              totals={totalsByList}
              view={view}
              actions={lists.actions}
            />
            <div className="min-w-0 flex-1">
              <QuickAddForm
                view={view}
                timeZone={timeZone}
                resolveListName={lists.resolveListName}
                create={store.create}
                lastPosition={store.lastPosition}
              >
                <ReminderBell fired={reminders.fired} clear={reminders.clear} />
              </QuickAddForm>
              <ViewControls view={view} />
              {liveStatus === "reconnecting" ? (
                <p role="status" className="mt-2 text-center text-xs text-slate-500 dark:text-slate-400">
                  Reconnecting…
                </p>
              ) : null}
              <TodoListSection
                todos={todos}
                view={view}
                timeZone={timeZone}
                liveStatus={liveStatus}
                offerTimeZone={profileTimeZone === "UTC" && chosenTimeZone === undefined}
                onAcceptTimeZone={setChosenTimeZone}
                completeAll={store.completeAll}
                clearCompleted={store.clearCompleted}
                renderItem={renderItem}
              />
              <ToastRegion toasts={toasts} dismiss={dismiss} />
            </div>
          </div>
        </SubtasksContext>
      </TimeZoneContext>
    </ListsContext>
  );
}
