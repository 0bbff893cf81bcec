"use client";

import type { List } from "@taskvault/contract/lists";
import type { Todo } from "@taskvault/contract/todos";
import { useSearchParams } from "next/navigation";
import { useRef, useState } from "react";
import { ToastRegion, useToasts } from "@/components/toasts.tsx";
import { ListsContext } from "../lists/lists-context.ts";
import { ListsSidebar } from "../lists/lists-sidebar.tsx";
import { useListsStore } from "../lists/use-lists-store.ts";
import { InvitationsPanel } from "../sharing/invitations-panel.tsx";
import { canWriteTo, MembersContext, useSharedMembers } from "../sharing/members-context.ts";
import { fetchListTodos } from "../sharing/sharing-api.ts";
import { QuickAddForm } from "./quick-add-form.tsx";
import { ReminderBell } from "./reminder-bell.tsx";
import { groupSubtasks, SubtasksContext } from "./subtasks-context.ts";
import { TimeZoneContext, useDayRollover, useTimeZone } from "./time-zone.ts";
import { TodoItem } from "./todo-item.tsx";
import { TodoListSection } from "./todo-list-section.tsx";
import { ASSIGNED_VIEW, activeCountsByList, DATE_VIEWS, parseView, viewHref } from "./todo-view.ts";
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
  userId,
}: {
  initialTodos: Todo[];
  initialLists: List[];
  /** The signed-in user: their assigned todos, and the member that leaves a shared list. */
  userId: string;
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
  const lists = useListsStore({ initialLists, me: userId, onRemoved: store.listRemoved });
  const listsRef = useRef(lists.lists);
  listsRef.current = lists.lists;
  const members = useSharedMembers(lists.lists);
  const { todos } = store;
  const reminders = useReminders(todos, show, {
    me: userId,
    roleInList: (listId) => listsRef.current.find((list) => list.id === listId)?.role,
  });
  const liveStatus = useLiveChanges({
    ...store.live,
    ...lists.live,
    listDeleted(id) {
      // Deleted by its owner, or this user was removed from it: it closes here at once, and its
      // todos go with it (those moved to the Inbox arrived as changes of their own before this).
      const gone = listsRef.current.find((list) => list.id === id);
      lists.live.listDeleted(id);
      store.listRemoved(id, "delete");
      if (viewRef.current.list === id)
        window.history.pushState(null, "", viewHref({ ...viewRef.current, list: "all" }));
      if (gone && gone.role !== "owner")
        show({ tone: "info", message: `You no longer have access to “${gone.name}”.` });
    },
  });

  /** An invitation was accepted: the list and its todos show at once (the stream brings them too). */
  async function joined(list: List) {
    lists.live.listUpserted(list);
    for (const todo of await fetchListTodos(list.id)) store.live.upserted(todo);
    show({ tone: "info", message: `You joined “${list.name}”.` });
  }

  const currentList = lists.lists.find((list) => list.id === view.list);
  const readOnlyReason =
    currentList && !canWriteTo(currentList)
      ? `You can view “${currentList.name}” but not change it: its owner made you a viewer.`
      : null;

  const totalsByList = new Map<string, number>();
  for (const todo of todos) if (todo.listId) totalsByList.set(todo.listId, (totalsByList.get(todo.listId) ?? 0) + 1);
  const topLevel = todos.filter((todo) => todo.parentId === null);
  const canReorder = view.sort === "position" && !DATE_VIEWS.has(view.list) && view.list !== ASSIGNED_VIEW;
  const counts = activeCountsByList(topLevel, timeZone);
  counts.set(ASSIGNED_VIEW, topLevel.filter((todo) => !todo.completed && todo.assigneeId === userId).length);
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
      <MembersContext value={members}>
        <TimeZoneContext value={timeZone}>
          <SubtasksContext value={groupSubtasks(todos)}>
            <div className="md:flex md:gap-4">
              <ListsSidebar
                lists={lists.lists}
                counts={counts}
                totals={totalsByList}
                view={view}
                actions={lists.actions}
              />
              <div className="min-w-0 flex-1">
                <InvitationsPanel onAccepted={joined} />
                <QuickAddForm
                  view={view}
                  timeZone={timeZone}
                  resolveListName={lists.resolveListName}
                  create={store.create}
                  lastPosition={store.lastPosition}
                  me={userId}
                  readOnlyReason={readOnlyReason}
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
                  me={userId}
                  isReadOnly={readOnlyReason !== null}
                />
                <ToastRegion toasts={toasts} dismiss={dismiss} />
              </div>
            </div>
          </SubtasksContext>
        </TimeZoneContext>
      </MembersContext>
    </ListsContext>
  );
}
