import { describe, expect, it } from "vitest";
import { monthlyOnDay, monthlyOnLastDay } from "../src/recurrence.ts";

describe("rules our quick add and repeat picker write", () => {
  it("says a day up to the 28th as it is", () => {
    expect(monthlyOnDay(1)).toBe("FREQ=MONTHLY;BYMONTHDAY=1");
    expect(monthlyOnDay(28, 2)).toBe("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=28");
  });

  it("says the 29th to the 31st as the last of the 28th… in the standard's words (BYSETPOS=-1)", () => {
    expect(monthlyOnDay(29)).toBe("FREQ=MONTHLY;BYMONTHDAY=28,29;BYSETPOS=-1");
    expect(monthlyOnDay(30)).toBe("FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1");
    expect(monthlyOnDay(31, 3)).toBe("FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=28,29,30,31;BYSETPOS=-1");
  });

  it("says the last day as BYMONTHDAY=-1", () => {
    expect(monthlyOnLastDay()).toBe("FREQ=MONTHLY;BYMONTHDAY=-1");
    expect(monthlyOnLastDay(2)).toBe("FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1");
  });
});
