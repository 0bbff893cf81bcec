import { describe, expect, test } from "vitest";
import { customRepeatOf, describeRecurrence, keepingMonthEnds, ruleOf } from "@/features/todos/repeat-rule.ts";

describe("custom repeats in the details panel", () => {
  test("every N days, weeks on chosen weekdays, months or years become RRULEs", () => {
    expect(ruleOf({ every: 1, unit: "DAILY", weekdays: [] })).toBe("FREQ=DAILY");
    expect(ruleOf({ every: 2, unit: "WEEKLY", weekdays: ["TH", "MO"] })).toBe("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH");
    // Weekdays only mean something for weekly repeats.
    expect(ruleOf({ every: 3, unit: "MONTHLY", weekdays: ["MO"] })).toBe("FREQ=MONTHLY;INTERVAL=3");
  });

  test("simple rules are read back into the fields; richer ones are left alone", () => {
    expect(customRepeatOf("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH,MO")).toEqual({
      every: 2,
      unit: "WEEKLY",
      weekdays: ["MO", "TH"],
    });
    expect(customRepeatOf("FREQ=YEARLY")).toEqual({ every: 1, unit: "YEARLY", weekdays: [] });
    expect(customRepeatOf("FREQ=MONTHLY;BYMONTHDAY=1")).toBeNull();
    expect(customRepeatOf("FREQ=MONTHLY;BYDAY=MO")).toBeNull();
    expect(customRepeatOf("FREQ=HOURLY")).toBeNull();
    expect(customRepeatOf("FREQ=DAILY;INTERVAL=0")).toBeNull();
  });
});

describe("a repeating todo's rule in words, as its row shows it", () => {
  test("says how often, on which days, and how many times are left", () => {
    expect(describeRecurrence("FREQ=DAILY;INTERVAL=3")).toBe("every 3 days");
    expect(describeRecurrence("FREQ=WEEKLY;BYDAY=MO,TH")).toBe("every week on Monday, Thursday");
    expect(describeRecurrence("RRULE:freq=weekly;byday=mo,tu,we,th,fr")).toBe("every weekday");
    expect(describeRecurrence("FREQ=MONTHLY;BYMONTHDAY=-1")).toBe("every month on the last day");
    expect(describeRecurrence("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1")).toBe(
      "every month on the 31st or last day",
    );
    expect(describeRecurrence("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=1,15")).toBe("every 2 months on the 1st, 15th");
    expect(describeRecurrence("FREQ=DAILY;COUNT=3")).toBe("every day, 3 more times");
    expect(describeRecurrence("FREQ=WEEKLY;UNTIL=20261231")).toBe("every week, until 2026-12-31");
    expect(describeRecurrence("FREQ=DAILY;UNTIL=20261231T225959Z")).toBe("every day, until 2026-12-31 22:59 UTC");
  });

  test("says only that it repeats when it cannot say exactly how", () => {
    expect(describeRecurrence("FREQ=SECONDLY")).toBe("repeats");
    expect(describeRecurrence("FREQ=MONTHLY;BYDAY=1MO")).toBe("repeats");
    expect(describeRecurrence("FREQ=MONTHLY;BYMONTHDAY=1,2;BYSETPOS=1")).toBe("repeats");
    expect(describeRecurrence("FREQ=YEARLY;BYMONTH=2")).toBe("repeats");
    expect(describeRecurrence("FREQ=DAILY;INTERVAL=x")).toBe("repeats");
    expect(describeRecurrence("FREQ=DAILY;UNTIL=tomorrow")).toBe("repeats");
  });
});

describe("monthly repeats from the 29th to the 31st", () => {
  test("fall on the month's last day where it is shorter, in RFC 5545's words", () => {
    expect(keepingMonthEnds("FREQ=MONTHLY", "2027-01-31")).toBe("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1");
    expect(keepingMonthEnds("FREQ=MONTHLY;INTERVAL=2", "2027-01-30")).toBe(
      "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=28,29,30;BYSETPOS=-1",
    );
  });

  test("leave every other rule and day alone", () => {
    expect(keepingMonthEnds("FREQ=MONTHLY", "2027-01-15")).toBe("FREQ=MONTHLY");
    expect(keepingMonthEnds("FREQ=WEEKLY", "2027-01-31")).toBe("FREQ=WEEKLY");
    expect(keepingMonthEnds("FREQ=MONTHLY;BYMONTHDAY=-1", "2027-01-31")).toBe("FREQ=MONTHLY;BYMONTHDAY=-1");
  });
});
