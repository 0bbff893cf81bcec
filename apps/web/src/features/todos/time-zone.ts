"use client";

import { localTimeZone, untilNextDay } from "@taskvault/contract/calendar";
import { createContext, useEffect, useState, useSyncExternalStore } from "react";

/** The zone the user's days are counted in, for components deep in the list (details, due dates). */
export const TimeZoneContext = createContext("UTC");

const neverChanges = () => () => undefined;

/**
 * The browser's zone, or null while rendering on the server, which cannot know it. Read through
 * `useSyncExternalStore`, hydration renders what the server rendered and then switches, instead
 * of failing on a mismatch.
 */
export function useBrowserTimeZone(): string | null {
  return useSyncExternalStore(neverChanges, localTimeZone, () => null);
}

/**
 * The zone of the user's profile when the API tells it; otherwise this browser's (sign-up saves the
 * browser's zone in the profile, so the two normally agree).
 */
export function useTimeZone(profileTimeZone: string | undefined): string {
  const browserTimeZone = useBrowserTimeZone();
  return profileTimeZone ?? browserTimeZone ?? "UTC";
}

/** Renders again when the next day begins in `timeZone`, so a page left open moves Tomorrow into Today. */
export function useDayRollover(timeZone: string): void {
  const [, setDaysPassed] = useState(0);
  useEffect(() => {
    let timer: number | undefined;
    const schedule = () => {
      // A second late: on the boundary itself the clock may still read yesterday.
      timer = window.setTimeout(() => {
        setDaysPassed((days) => days + 1);
        schedule();
      }, untilNextDay(Date.now(), timeZone) + 1000);
    };
    schedule();
    return () => window.clearTimeout(timer);
  }, [timeZone]);
}
