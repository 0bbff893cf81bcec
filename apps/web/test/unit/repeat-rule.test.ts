import { describe, expect, test } from "vitest";
import { customRepeatOf, ruleOf } from "@/features/todos/repeat-rule.ts";

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
