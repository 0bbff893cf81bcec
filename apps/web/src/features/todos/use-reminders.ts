"use client";

import type { ListRole } from "@taskvault/contract/lists";
import type { Todo } from "@taskvault/contract/todos";
import { useEffect, useRef, useState } from "react";
import type { ShowToast } from "@/components/toasts.tsx";
import { isReminderFor } from "./reminder-recipient.ts";

/** setTimeout cannot wait longer than about 24.8 days; later reminders are scheduled on a later render. */
const LONGEST_WAIT_MS = 2 ** 31 - 1;
/** A reminder that came due while the page was closed or asleep still shows if it is this fresh. */
const LATE_GRACE_MS = 10 * 60_000;

export type FiredReminder = { key: string; todoId: string; title: string; at: string };

/**
 * Reminders of open todos (`remindAt`) while the page is open: a toast, a system notification when
 * the user allowed them, and an entry under the bell. Each reminder (todo + time) fires once, and
 * in a shared list only for the member it is for (isReminderFor).
 */
export function useReminders(
  todos: Todo[],
  show: ShowToast,
  { me, roleInList }: { me: string; roleInList: (listId: string) => ListRole | undefined },
) {
  const [fired, setFired] = useState<FiredReminder[]>([]);
  const firedKeys = useRef(new Set<string>());
  const showRef = useRef(show);
  showRef.current = show;
  const isMine = useRef<(todo: Todo) => boolean>(() => true);
  isMine.current = (todo: Todo) => isReminderFor(todo, me, roleInList);

  useEffect(() => {
    const timers: number[] = [];
    const now = Date.now();
    for (const todo of todos) {
      if (todo.completed || !todo.remindAt || todo.id.startsWith("temp-") || !isMine.current(todo)) continue;
      const at = Date.parse(todo.remindAt);
      const key = `${todo.id}@${todo.remindAt}`;
      if (firedKeys.current.has(key) || at < now - LATE_GRACE_MS || at - now > LONGEST_WAIT_MS) continue;
      const fire = () => {
        if (firedKeys.current.has(key)) return;
        firedKeys.current.add(key);
        setFired((current) => [{ key, todoId: todo.id, title: todo.title, at: todo.remindAt ?? "" }, ...current]);
        showRef.current({ tone: "info", message: `Reminder: ${todo.title}` });
        if (typeof Notification !== "undefined" && Notification.permission === "granted") {
          try {
            new Notification("Taskvault reminder", { body: todo.title, tag: key });
          } catch {
            // Some browsers allow notifications only from a service worker: the toast is enough.
          }
        }
      };
      timers.push(window.setTimeout(fire, Math.max(0, at - now)));
    }
    return () => {
      for (const timer of timers) window.clearTimeout(timer);
    };
  }, [todos]);

  return { fired, clear: () => setFired([]) };
}
