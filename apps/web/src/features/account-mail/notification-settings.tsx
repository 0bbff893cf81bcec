"use client";

import type { Preferences } from "@taskvault/contract/auth";
import { useId, useState } from "react";
import { bff, messageOf } from "@/lib/bff-client.ts";
import { FormStatus, SettingsCard } from "../settings/settings-card.tsx";

/** The email-reminders switch: each todo's reminder also arrives by email, with no tab open. */
export function NotificationSettings({ emailReminders }: { emailReminders: boolean }) {
  const id = useId();
  const [isOn, setIsOn] = useState(emailReminders);
  const [isPending, setIsPending] = useState(false);
  const [status, setStatus] = useState<{ tone: "ok" | "error"; message: string } | null>(null);

  async function toggle(next: boolean) {
    setIsOn(next);
    setIsPending(true);
    setStatus(null);
    try {
      const { data } = await bff<Preferences>("/api/me/preferences", {
        method: "PATCH",
        body: { emailReminders: next },
      });
      setIsOn(data.emailReminders);
      setStatus({ tone: "ok", message: data.emailReminders ? "Email reminders on." : "Email reminders off." });
    } catch (error) {
      setIsOn(!next);
      setStatus({ tone: "error", message: `Could not save: ${messageOf(error)}` });
    } finally {
      setIsPending(false);
    }
  }

  return (
    <SettingsCard title="Notifications">
      <div className="flex items-start gap-3">
        <input
          id={id}
          type="checkbox"
          role="switch"
          className="mt-1 size-5 accent-brand-600"
          checked={isOn}
          aria-checked={isOn}
          disabled={isPending}
          aria-describedby={`${id}-hint`}
          onChange={(event) => toggle(event.currentTarget.checked)}
        />
        <div>
          <label htmlFor={id} className="font-medium">
            Email reminders
          </label>
          <p id={`${id}-hint`} className="text-sm text-slate-600 dark:text-slate-400">
            Each todo's reminder also arrives by email at its time, even when Taskvault is not open.
          </p>
        </div>
      </div>
      <div className="mt-2">
        <FormStatus status={status} />
      </div>
    </SettingsCard>
  );
}
