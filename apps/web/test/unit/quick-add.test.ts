import { describe, expect, test } from "vitest";
import { chipsOf, writableListNamed } from "@/features/todos/quick-add.ts";
import { describeRecurrence } from "@/features/todos/repeat-rule.ts";

describe("quick-add chips", () => {
  test("repeats read as people say them", () => {
    expect(describeRecurrence("FREQ=DAILY")).toBe("every day");
    expect(describeRecurrence("FREQ=WEEKLY;INTERVAL=2")).toBe("every 2 weeks");
    expect(describeRecurrence("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR")).toBe("every weekday");
    expect(describeRecurrence("FREQ=WEEKLY;BYDAY=MO")).toBe("every week on Monday");
    expect(describeRecurrence("FREQ=MONTHLY;BYMONTHDAY=1")).toBe("every month on the 1st");
    expect(describeRecurrence("FREQ=SECONDLY")).toBe("repeats");
  });

  test("each understood part becomes a chip; a plain title none", () => {
    const parsed = {
      title: "Pay rent",
      dueAt: "2026-12-01T09:00:00.000Z",
      recurrence: "FREQ=MONTHLY;BYMONTHDAY=1",
      listName: "Home",
      tags: ["bills"],
      priority: "high" as const,
    };
    expect(chipsOf(parsed, () => "Dec 1").map((chip) => chip.label)).toEqual([
      "Due Dec 1",
      "Repeats every month on the 1st",
      "List Home",
      "Tag bills",
      "Priority high",
    ]);
    expect(
      chipsOf({ title: "Buy milk", dueAt: null, recurrence: null, listName: null, tags: [], priority: "none" }),
    ).toEqual([]);
  });
});

describe("quick-add #List", () => {
  const lists = [
    { id: "viewed", name: "Groceries", role: "viewer" as const },
    { id: "edited", name: "Sprint", role: "editor" as const },
    { id: "theirs", name: "Home", role: "editor" as const },
    { id: "mine", name: "home", role: "owner" as const },
  ];

  test("names a list the user may add to: their own first, then one they edit, in any case", () => {
    expect(writableListNamed(lists, "sprint")).toBe("edited");
    expect(writableListNamed(lists, "HOME")).toBe("mine");
  });

  test("never a list the user only views, nor one that does not exist: the caller makes their own", () => {
    expect(writableListNamed(lists, "Groceries")).toBeNull();
    expect(writableListNamed(lists, "Garden")).toBeNull();
  });
});
