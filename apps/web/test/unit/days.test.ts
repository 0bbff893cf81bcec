import { describe, expect, test } from "vitest";
import { addDays, dayIn, dayLabel, instantAt, untilNextDay } from "@/features/todos/days.ts";
import {
  dateInputFromDueAt,
  dueAtFromInputs,
  isoFromLocalInput,
  localInputFromIso,
  timeInputFromDueAt,
} from "@/features/todos/due-date.ts";

const iso = (instant: number) => new Date(instant).toISOString();

describe("days and wall-clock times in a time zone", () => {
  test("the calendar day depends on the zone, not on the machine", () => {
    const instant = Date.parse("2026-11-25T12:00:00Z");
    expect(dayIn(instant, "Pacific/Auckland")).toBe("2026-11-26");
    expect(dayIn(instant, "America/Los_Angeles")).toBe("2026-11-25");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });

  test("a wall time becomes the instant it happens in the zone, across DST changes", () => {
    expect(iso(instantAt("2026-11-25", "09:00", "Pacific/Auckland"))).toBe("2026-11-24T20:00:00.000Z");
    // Clocks going forward: 02:30 never happens and is read as 03:30 (as RFC 5545 says).
    expect(iso(instantAt("2026-03-08", "02:30", "America/Los_Angeles"))).toBe("2026-03-08T10:30:00.000Z");
    expect(iso(instantAt("2026-09-27", "02:30", "Pacific/Auckland"))).toBe("2026-09-26T14:30:00.000Z");
    // Clocks going back: 01:30 happens twice; the first one counts.
    expect(iso(instantAt("2026-11-01", "01:30", "America/Los_Angeles"))).toBe("2026-11-01T08:30:00.000Z");
    expect(iso(instantAt("2026-04-05", "02:30", "Pacific/Auckland"))).toBe("2026-04-04T13:30:00.000Z");
  });

  test("the next day begins after 25 hours on the day the clocks go back", () => {
    const midnight = Date.parse("2026-11-01T07:00:00Z"); // 00:00 PDT
    expect(untilNextDay(midnight, "America/Los_Angeles")).toBe(25 * 3_600_000);
    expect(untilNextDay(Date.parse("2026-09-26T12:00:00Z"), "Pacific/Auckland")).toBe(23 * 3_600_000);
  });

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
