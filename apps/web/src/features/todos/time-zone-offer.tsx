"use client";

import { useState } from "react";
import { BffError } from "@/lib/bff-client.ts";
import { updateProfile } from "../settings/profile-api.ts";
import { useBrowserTimeZone } from "./time-zone.ts";

/**
 * The profile still counts days in UTC (the default) but this device is elsewhere: offer the
 * device's zone instead of silently changing a setting the user may have chosen on purpose.
 */
export default function TimeZoneOffer({ onAccept }: { onAccept(timeZone: string): void }) {
  const browserTimeZone = useBrowserTimeZone();
  const [isDismissed, setIsDismissed] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!browserTimeZone || browserTimeZone === "UTC" || isDismissed) return null;

  async function accept(timeZone: string) {
    try {
      await updateProfile({ timezone: timeZone });
      onAccept(timeZone);
    } catch (caught) {
      setError(`Could not change the time zone: ${caught instanceof BffError ? caught.message : "try again."}`);
    }
  }

  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-slate-200 px-3 py-2 text-sm sm:px-4 dark:border-slate-800">
      <p className="flex-1">
        Days are counted in UTC; this device is in {browserTimeZone}.{error ? ` ${error}` : null}
      </p>
      <button type="button" className="btn-secondary min-h-8 px-3 py-1" onClick={() => void accept(browserTimeZone)}>
        Use {browserTimeZone}
      </button>
      <button type="button" className="btn-ghost" onClick={() => setIsDismissed(true)}>
        Keep UTC
      </button>
    </div>
  );
}
