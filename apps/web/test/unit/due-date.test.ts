import { describe, expect, test } from "vitest";
import { dayLabel } from "@/features/todos/day-label.ts";
import {
  dateInputFromDueAt,
  dueAtFromInputs,
  isoFromLocalInput,
  localInputFromIso,
  timeInputFromDueAt,
} from "@/features/todos/due-date.ts";

const _iso = (instant: number) => new Date(instant).toISOString();

describe("day headings", () => {
  test("headings read Today, Tomorrow, then the day, with the year only when it is another", () => {
    expect(dayLabel("2026-11-25", "2026-11-25")).toBe("Today");
    expect(dayLabel("2026-11-26", "2026-11-25")).toBe("Tomorrow");
    expect(dayLabel("2026-11-27", "2026-11-25")).toBe("Fri 27 Nov");
    expect(dayLabel("2027-01-05", "2026-11-25")).toBe("Tue 5 Jan 2027");
  });
});

describe("due dates and reminders as the details panel reads and writes them", () => {
  const zone = "Pacific/Auckland";

  test("a date without a time is due at the end of that day in the user's zone", () => {
    const dueAt = dueAtFromInputs("2026-11-26", "", zone);
    expect(dueAt).toBe("2026-11-26T10:59:59.000Z");
    expect(dateInputFromDueAt(dueAt, zone)).toBe("2026-11-26");
    expect(timeInputFromDueAt(dueAt, zone)).toBe("");
    expect(dueAtFromInputs("", "10:00", zone)).toBeNull();
  });

  test("a date with a time is due then, and reads back the same", () => {
    const dueAt = dueAtFromInputs("2026-11-26", "17:30", zone);
    expect(dueAt).toBe("2026-11-26T04:30:00.000Z");
    expect(dateInputFromDueAt(dueAt, "America/Los_Angeles")).toBe("2026-11-25");
    expect(timeInputFromDueAt(dueAt, zone)).toBe("17:30");
  });

  test("a reminder's local date-time round-trips through the zone", () => {
    expect(isoFromLocalInput("2031-03-04T08:30", zone)).toBe("2031-03-03T19:30:00.000Z");
    expect(localInputFromIso("2031-03-03T19:30:00.000Z", zone)).toBe("2031-03-04T08:30");
    expect(isoFromLocalInput("", zone)).toBeNull();
  });
});
