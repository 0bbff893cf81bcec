import { describe, expect, it } from "vitest";
import { isoFromText, parseInstant } from "../../src/db/instant.ts";

describe("reading PostgreSQL's timestamps", () => {
  it.each([
    ["2026-12-02 07:11:54.349+00", "2026-12-02T07:11:54.349Z"],
    ["2026-12-02 07:11:54+00", "2026-12-02T07:11:54.000Z"],
    ["2026-12-02 07:11:54.3+00", "2026-12-02T07:11:54.300Z"],
    ["2026-12-02 12:41:54.349+05:30", "2026-12-02T07:11:54.349Z"],
    ["2026-12-01 21:11:54.349-10", "2026-12-02T07:11:54.349Z"],
    ["0001-01-01 00:00:00+00", "0001-01-01T00:00:00.000Z"],
    ["0099-12-31 23:59:59.999+00", "0099-12-31T23:59:59.999Z"],
    ["9999-12-31 23:59:59.999+00", "9999-12-31T23:59:59.999Z"],
    ["0001-01-01 00:09:21+00:09:21", "0001-01-01T00:00:00.000Z"],
  ])("reads %s as %s", (text, iso) => {
    expect(parseInstant(text).toISOString()).toBe(iso);
    // The list's shortcut (no Date on the common path) gives the same text.
    expect(isoFromText(text)).toBe(iso);
  });

  it("refuses what is not a timestamp", () => {
    expect(() => parseInstant("yesterday")).toThrow(/Unreadable timestamp/);
  });
});
