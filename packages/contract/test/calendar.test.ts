import { describe, expect, it, test } from "vitest";
import {
  addDays,
  dayIn,
  floatingInstant,
  instantAt,
  offsetAt,
  startOfDay,
  untilNextDay,
  wallClock,
  wallOfFloating,
  zonedInstant,
} from "../src/calendar.ts";

const at = (iso: string) => new Date(iso);

describe("startOfDay", () => {
  it("is midnight UTC in UTC", () => {
    expect(startOfDay("UTC", at("2026-05-10T13:45:00Z")).toISOString()).toBe("2026-05-10T00:00:00.000Z");
    expect(startOfDay("UTC", at("2026-05-10T00:00:00Z")).toISOString()).toBe("2026-05-10T00:00:00.000Z");
    expect(startOfDay("UTC", at("2026-05-10T23:59:59.999Z"), 1).toISOString()).toBe("2026-05-11T00:00:00.000Z");
  });

  it("uses the day the instant falls on in the zone", () => {
    // 23:30 UTC on the 10th is already the 11th in Berlin (CEST, +2).
    expect(startOfDay("Europe/Berlin", at("2026-05-10T23:30:00Z")).toISOString()).toBe("2026-05-10T22:00:00.000Z");
    // 03:00 UTC on the 11th is still the 10th in New York (EDT, −4).
    expect(startOfDay("America/New_York", at("2026-05-11T03:00:00Z")).toISOString()).toBe("2026-05-10T04:00:00.000Z");
    expect(startOfDay("Asia/Kolkata", at("2026-05-10T20:00:00Z")).toISOString()).toBe("2026-05-10T18:30:00.000Z");
  });

  it("handles the spring-forward day in Europe/Berlin (2026-03-29, a 23-hour day)", () => {
    const noon = at("2026-03-29T10:00:00Z");
    const start = startOfDay("Europe/Berlin", noon);
    const end = startOfDay("Europe/Berlin", noon, 1);
    expect(start.toISOString()).toBe("2026-03-28T23:00:00.000Z"); // midnight CET (+1)
    expect(end.toISOString()).toBe("2026-03-29T22:00:00.000Z"); // midnight CEST (+2)
    expect(end.getTime() - start.getTime()).toBe(23 * 3600_000);
    expect(startOfDay("Europe/Berlin", at("2026-03-28T12:00:00Z"), 1).toISOString()).toBe(start.toISOString());
  });

  it("handles the fall-back day in Europe/Berlin (2026-10-25, a 25-hour day)", () => {
    const start = startOfDay("Europe/Berlin", at("2026-10-25T12:00:00Z"));
    const end = startOfDay("Europe/Berlin", at("2026-10-25T12:00:00Z"), 1);
    expect(start.toISOString()).toBe("2026-10-24T22:00:00.000Z");
    expect(end.toISOString()).toBe("2026-10-25T23:00:00.000Z");
    expect(end.getTime() - start.getTime()).toBe(25 * 3600_000);
  });

  it("handles America/New_York's DST changes (2026-03-08 and 2026-11-01)", () => {
    const spring = startOfDay("America/New_York", at("2026-03-08T18:00:00Z"));
    expect(spring.toISOString()).toBe("2026-03-08T05:00:00.000Z");
    expect(startOfDay("America/New_York", at("2026-03-08T18:00:00Z"), 1).toISOString()).toBe(
      "2026-03-09T04:00:00.000Z",
    );
    const fall = startOfDay("America/New_York", at("2026-11-01T18:00:00Z"));
    expect(fall.toISOString()).toBe("2026-11-01T04:00:00.000Z");
    expect(startOfDay("America/New_York", at("2026-11-01T18:00:00Z"), 1).toISOString()).toBe(
      "2026-11-02T05:00:00.000Z",
    );
  });

  it("finds midnight in a zone where the DST change happens at midnight (America/Santiago)", () => {
    // Chile springs forward at 24:00 on 2026-09-05: 2026-09-06 begins at 01:00 local (−03).
    const start = startOfDay("America/Santiago", at("2026-09-06T15:00:00Z"));
    expect(start.toISOString()).toBe("2026-09-06T04:00:00.000Z");
    expect(start.getTime()).toBeLessThanOrEqual(at("2026-09-06T15:00:00Z").getTime());
  });

  it("works across month and year ends", () => {
    expect(startOfDay("Pacific/Auckland", at("2026-12-31T12:00:00Z")).toISOString()).toBe("2026-12-31T11:00:00.000Z");
    expect(startOfDay("UTC", at("2026-12-31T12:00:00Z"), 1).toISOString()).toBe("2027-01-01T00:00:00.000Z");
  });
});

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
});

describe("wall clocks", () => {
  it("never reads midnight as hour 24, and reads years before 100 as they are", () => {
    expect(wallClock("UTC", Date.parse("2026-05-10T00:00:00Z"))).toMatchObject({ day: 10, hour: 0 });
    const year50 = Date.UTC(2000, 0, 1);
    const early = new Date(year50);
    early.setUTCFullYear(50);
    expect(wallClock("UTC", early.getTime())).toMatchObject({ year: 50, month: 1, day: 1 });
    expect(zonedInstant("UTC", { year: 50, month: 1, day: 1, hour: 0, minute: 0, second: 0 }).getTime()).toBe(
      early.getTime(),
    );
  });

  it("keeps the milliseconds of a zoned instant", () => {
    const wall = { year: 2026, month: 3, day: 8, hour: 9, minute: 0, second: 0 };
    expect(zonedInstant("America/New_York", wall, 250).toISOString()).toBe("2026-03-08T13:00:00.250Z");
  });

  it("knows how far a zone is ahead of UTC, half hours and summer time included", () => {
    expect(offsetAt(Date.parse("2026-05-10T12:00:00Z"), "Asia/Kolkata")).toBe(330 * 60_000);
    expect(offsetAt(Date.parse("2026-01-10T12:00:00Z"), "Europe/Berlin")).toBe(60 * 60_000);
    expect(offsetAt(Date.parse("2026-07-10T12:00:00.250Z"), "America/New_York")).toBe(-240 * 60_000);
  });

  it("writes a wall reading as floating time and reads it back, years before 100 included", () => {
    const wall = { year: 2028, month: 2, day: 29, hour: 23, minute: 59, second: 30 };
    expect(new Date(floatingInstant(wall)).toISOString()).toBe("2028-02-29T23:59:30.000Z");
    expect(wallOfFloating(floatingInstant(wall))).toEqual(wall);
    const early = { year: 50, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
    expect(wallOfFloating(floatingInstant(early))).toEqual(early);
  });
});
