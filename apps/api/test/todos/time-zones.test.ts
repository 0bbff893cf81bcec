import { describe, expect, it } from "vitest";
import { startOfDay } from "../../src/todos/time-zones.ts";

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
