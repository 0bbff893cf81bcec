"use client";

import { useEffect, useState } from "react";
import type { FiredReminder } from "./use-reminders.ts";

/** The bell: reminders that came due while this page was open, and a switch for system notifications. */
export function ReminderBell({ fired, clear }: { fired: FiredReminder[]; clear(): void }) {
  const [isOpen, setIsOpen] = useState(false);
  const [permission, setPermission] = useState<NotificationPermission | "unsupported">("unsupported");
  useEffect(() => {
    setPermission(typeof Notification === "undefined" ? "unsupported" : Notification.permission);
  }, []);

  return (
    <div className="relative">
      <button
        type="button"
        className="btn-ghost relative px-2"
        // Not "Reminders": that would also match the details form's "Reminder" field by label.
        aria-label={fired.length > 0 ? `Alerts (${fired.length})` : "Alerts"}
        aria-expanded={isOpen}
        aria-controls="reminder-panel"
        onClick={() => setIsOpen((open) => !open)}
      >
        {/* Drawn, not an emoji: systems without an emoji font showed an empty box. */}
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          className="h-5 w-5"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" strokeLinecap="round" strokeLinejoin="round" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        {fired.length > 0 ? (
          <span
            aria-hidden="true"
            className="absolute -right-1 -top-1 rounded-full bg-red-600 px-1.5 text-xs font-semibold text-white"
          >
            {fired.length}
          </span>
        ) : null}
      </button>
      {isOpen ? (
        <section
          id="reminder-panel"
          className="card absolute right-0 z-20 mt-2 w-72 p-3 text-sm shadow-lg"
          aria-label="Alerts"
        >
          {fired.length === 0 ? (
            <p className="text-slate-600 dark:text-slate-400">No reminders have come due.</p>
          ) : (
            <ul className="space-y-1">
              {fired.map((reminder) => (
                <li key={reminder.key} className="truncate">
                  {reminder.title}
                </li>
              ))}
            </ul>
          )}
          <div className="mt-2 flex flex-wrap gap-2">
            {fired.length > 0 ? (
              <button type="button" className="btn-secondary py-1 text-xs" onClick={clear}>
                Clear reminders
              </button>
            ) : null}
            {permission === "default" ? (
              <button
                type="button"
                className="btn-secondary py-1 text-xs"
                onClick={() => void Notification.requestPermission().then(setPermission)}
              >
                Enable notifications
              </button>
            ) : null}
          </div>
        </section>
      ) : null}
    </div>
  );
}
