"use client";

import { type FormEvent, useId, useState } from "react";
import { BffError } from "@/lib/bff-client.ts";
import { useBrowserTimeZone } from "../todos/time-zone.ts";
import { updateProfile } from "./profile-api.ts";
import { FormStatus, SettingsCard } from "./settings-card.tsx";

/**
 * The profile's time zone: Today and Upcoming count days in it, and new todos repeat in it. When
 * the API does not say which zone the profile has (`profileTimeZone` undefined), the device's is
 * shown, as that is the one the todo page uses then.
 */
export function TimeZoneForm({ profileTimeZone, zones }: { profileTimeZone: string | undefined; zones: string[] }) {
  const id = useId();
  const browserTimeZone = useBrowserTimeZone();
  const [chosen, setChosen] = useState(profileTimeZone);
  const [saved, setSaved] = useState(profileTimeZone);
  const [isPending, setIsPending] = useState(false);
  const [status, setStatus] = useState<{ tone: "ok" | "error"; message: string } | null>(null);
  const selected = chosen ?? browserTimeZone ?? "UTC";
  // The device's zone may be missing from the server's list (a newer or older zone database).
  const options = zones.includes(selected) ? zones : [selected, ...zones];
  const canOfferDevice = saved === "UTC" && browserTimeZone !== null && browserTimeZone !== "UTC";
  // The device's zone is known only once hydrated. Before that, a choice would be reset by
  // hydration and a click would submit the form natively, so both wait for it.
  const isHydrated = browserTimeZone !== null;

  async function save(timeZone: string) {
    setIsPending(true);
    setStatus(null);
    try {
      await updateProfile({ timezone: timeZone });
      setChosen(timeZone);
      setSaved(timeZone);
      setStatus({ tone: "ok", message: `Time zone saved: ${timeZone}.` });
    } catch (error) {
      const reason = error instanceof BffError ? error.message : "Could not save.";
      setStatus({ tone: "error", message: reason });
    } finally {
      setIsPending(false);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    void save(selected);
  }

  return (
    <SettingsCard
      title="Calendar"
      description="Today and Upcoming count days in your time zone, and new todos repeat in it."
    >
      <form className="space-y-3" onSubmit={onSubmit}>
        <div>
          <label htmlFor={id} className="label">
            Time zone
          </label>
          <select
            id={id}
            className="field"
            value={selected}
            disabled={!isHydrated}
            onChange={(event) => setChosen(event.currentTarget.value)}
          >
            {options.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replaceAll("_", " ")}
              </option>
            ))}
          </select>
        </div>
        {canOfferDevice ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Your profile still counts days in UTC, but this device is in {browserTimeZone}.{" "}
            <button
              type="button"
              className="font-semibold text-brand-600 underline underline-offset-2 dark:text-brand-50"
              disabled={isPending}
              onClick={() => void save(browserTimeZone)}
            >
              Use {browserTimeZone}
            </button>
          </p>
        ) : null}
        <div className="flex items-center gap-3">
          <button type="submit" className="btn-primary" disabled={isPending || !isHydrated}>
            {isPending ? "Saving…" : "Save time zone"}
          </button>
          <FormStatus status={status} />
        </div>
      </form>
    </SettingsCard>
  );
}
