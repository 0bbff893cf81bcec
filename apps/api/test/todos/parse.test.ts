import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseQuickAdd } from "../../src/todos/parse.ts";
import { as, buildTestApp, signUp, type TestApp } from "../helpers/app.ts";

// Friday 6 March 2026, 16:00 in Paris (UTC+1; summer time starts on 29 March).
const NOW = new Date("2026-03-06T15:00:00Z");
const TZ = "Europe/Paris";

/** The wall-clock date and time an instant shows in Paris, as "2026-03-07 17:00". */
function local(iso: string | null): string | null {
  if (!iso) return null;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: TZ,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    })
      .formatToParts(new Date(iso))
      .map((part) => [part.type, part.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

interface Expected {
  title: string;
  due?: string | null;
  recurrence?: string | null;
  listName?: string | null;
  tags?: string[];
  priority?: string;
}

const PHRASES: [string, Expected][] = [
  // The contract's example.
  [
    "Pay rent every month on the 1st #Home @bills !high",
    {
      title: "Pay rent",
      recurrence: "FREQ=MONTHLY;BYMONTHDAY=1",
      due: "2026-04-01 23:59",
      listName: "Home",
      tags: ["bills"],
      priority: "high",
    },
  ],
  // Plain text that must stay title.
  ["Email Bob about #3 on the list", { title: "Email Bob about #3 on the list", due: null, listName: null }],
  ["Buy 2 @ 5$", { title: "Buy 2 @ 5$", tags: [], due: null }],
  ["Email bob@example.com", { title: "Email bob@example.com", tags: [] }],
  ["Buy milk", { title: "Buy milk", due: null, recurrence: null, priority: "none" }],
  ["Read chapter 5", { title: "Read chapter 5", due: null }],
  ["Buy 3 apples", { title: "Buy 3 apples", due: null }],
  ["Fix bug 1234", { title: "Fix bug 1234", due: null }],
  ["Room 101 meeting notes", { title: "Room 101 meeting notes", due: null }],
  ["Ask May about the report", { title: "Ask May about the report", due: null }],
  ["Read every book on the shelf", { title: "Read every book on the shelf", recurrence: null }],
  ["Weekly report draft", { title: "Weekly report draft", recurrence: null }],
  ["Wow! That was fast", { title: "Wow! That was fast", priority: "none" }],
  ["Fix C# build", { title: "Fix C# build", listName: null }],
  ["Meet @ the cafe", { title: "Meet @ the cafe", tags: [] }],
  ["Issue #42 needs review", { title: "Issue #42 needs review", listName: null }],
  ["100% done by design", { title: "100% done by design", due: null }],
  // Dates and times.
  ["Call mom tomorrow 5pm", { title: "Call mom", due: "2026-03-07 17:00" }],
  ["tomorrow 5pm", { title: "tomorrow 5pm", due: "2026-03-07 17:00" }],
  ["Dentist next fri", { title: "Dentist", due: "2026-03-13 23:59" }],
  ["Renew passport in 3 days", { title: "Renew passport", due: "2026-03-09 23:59" }],
  ["Submit report tomorrow", { title: "Submit report", due: "2026-03-07 23:59" }],
  ["Buy milk today", { title: "Buy milk", due: "2026-03-06 23:59" }],
  ["Standup at 9am", { title: "Standup", due: "2026-03-07 09:00" }],
  ["Lunch with Ann at noon tomorrow", { title: "Lunch with Ann", due: "2026-03-07 12:00" }],
  ["Meet on May 4th", { title: "Meet", due: "2026-05-04 23:59" }],
  ["Send invoice by friday", { title: "Send invoice", due: "2026-03-13 23:59" }],
  ["Dentist friday 10:30", { title: "Dentist", due: "2026-03-13 10:30" }],
  ["Buy milk, tomorrow", { title: "Buy milk", due: "2026-03-07 23:59" }],
  ["Taxes due on 2026-04-15", { title: "Taxes", due: "2026-04-15 23:59" }],
  ["Flight Mar 30 2026 at 7am", { title: "Flight", due: "2026-03-30 07:00" }],
  ["Call Ann tonight", { title: "Call Ann", due: "2026-03-06 22:00" }],
  ["Review PR in 2 hours", { title: "Review PR", due: "2026-03-06 18:00" }],
  ["Pick up kids next monday 3pm", { title: "Pick up kids", due: "2026-03-09 15:00" }],
  // Repeats.
  ["Water plants every day", { title: "Water plants", recurrence: "FREQ=DAILY", due: "2026-03-06 23:59" }],
  ["Stretch every day at 7am", { title: "Stretch", recurrence: "FREQ=DAILY", due: "2026-03-07 07:00" }],
  ["Backup every 2 weeks", { title: "Backup", recurrence: "FREQ=WEEKLY;INTERVAL=2" }],
  ["Review every other week", { title: "Review", recurrence: "FREQ=WEEKLY;INTERVAL=2" }],
  [
    "Standup every weekday at 9:30",
    { title: "Standup", recurrence: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", due: "2026-03-09 09:30" },
  ],
  ["Relax every weekend", { title: "Relax", recurrence: "FREQ=WEEKLY;BYDAY=SA,SU", due: "2026-03-07 23:59" }],
  [
    "Gym every monday and thursday at 7am",
    { title: "Gym", recurrence: "FREQ=WEEKLY;BYDAY=MO,TH", due: "2026-03-09 07:00" },
  ],
  ["Team sync every tue, thu", { title: "Team sync", recurrence: "FREQ=WEEKLY;BYDAY=TU,TH", due: "2026-03-10 23:59" }],
  ["Bins every other monday", { title: "Bins", recurrence: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO" }],
  [
    "Invoice every month on the 15th",
    { title: "Invoice", recurrence: "FREQ=MONTHLY;BYMONTHDAY=15", due: "2026-03-15 23:59" },
  ],
  ["Report every 15th", { title: "Report", recurrence: "FREQ=MONTHLY;BYMONTHDAY=15" }],
  [
    "Pay bills every month on the last day",
    { title: "Pay bills", recurrence: "FREQ=MONTHLY;BYMONTHDAY=-1", due: "2026-03-31 23:59" },
  ],
  ["Close books every last day of the month", { title: "Close books", recurrence: "FREQ=MONTHLY;BYMONTHDAY=-1" }],
  // "The 31st" as people mean it: the last day of shorter months, in the standard's words.
  [
    "Rent every month on the 31st",
    { title: "Rent", recurrence: "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1", due: "2026-03-31 23:59" },
  ],
  ["Backup every 30th", { title: "Backup", recurrence: "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1" }],
  ["Rotate keys every 3 months", { title: "Rotate keys", recurrence: "FREQ=MONTHLY;INTERVAL=3" }],
  [
    "Birthday card every year on April 15",
    { title: "Birthday card", recurrence: "FREQ=YEARLY", due: "2026-04-15 23:59" },
  ],
  ["Check mail every hour", { title: "Check mail", recurrence: "FREQ=HOURLY" }],
  ["Every day meditate", { title: "meditate", recurrence: "FREQ=DAILY" }],
  ["Piano every Saturday at 10am", { title: "Piano", recurrence: "FREQ=WEEKLY;BYDAY=SA", due: "2026-03-07 10:00" }],
  ["Vitamins every 2 days", { title: "Vitamins", recurrence: "FREQ=DAILY;INTERVAL=2" }],
  // Lists, tags, priorities.
  ["Buy milk #Groceries", { title: "Buy milk", listName: "Groceries" }],
  ["#Work prepare slides", { title: "prepare slides", listName: "Work" }],
  ["Plan trip !med @travel @travel", { title: "Plan trip", tags: ["travel"], priority: "medium" }],
  ["Fix leak !high", { title: "Fix leak", priority: "high" }],
  ["Sort photos !low @home @photos", { title: "Sort photos", priority: "low", tags: ["home", "photos"] }],
  [
    "Renew insurance !medium #Admin tomorrow",
    { title: "Renew insurance", priority: "medium", listName: "Admin", due: "2026-03-07 23:59" },
  ],
  ["Call Ann @phone, then email", { title: "Call Ann , then email", tags: ["phone"] }],
  ["Café @écoles #Maison", { title: "Café", tags: ["écoles"], listName: "Maison" }],
  [
    "Deploy #Work @ops !high every friday at 5pm",
    {
      title: "Deploy",
      listName: "Work",
      tags: ["ops"],
      priority: "high",
      recurrence: "FREQ=WEEKLY;BYDAY=FR",
      due: "2026-03-06 17:00",
    },
  ],
];

describe("quick-add parser", () => {
  it("has at least 60 phrases in its table", () => {
    expect(PHRASES.length).toBeGreaterThanOrEqual(60);
  });

  it.each(PHRASES)("reads %j", async (text, expected) => {
    const parsed = await parseQuickAdd(text, { timeZone: TZ, now: NOW });
    expect(parsed.title).toBe(expected.title);
    if ("due" in expected) expect(local(parsed.dueAt)).toBe(expected.due);
    if ("recurrence" in expected) expect(parsed.recurrence).toBe(expected.recurrence);
    if ("listName" in expected) expect(parsed.listName).toBe(expected.listName);
    if ("tags" in expected) expect(parsed.tags).toEqual(expected.tags);
    if ("priority" in expected) expect(parsed.priority).toBe(expected.priority);
  });

  it("reads dates in the time zone it is given", async () => {
    // It is already Saturday in Tokyo, so "tomorrow" is Sunday there.
    const tokyo = await parseQuickAdd("Call tomorrow 9am", { timeZone: "Asia/Tokyo", now: NOW });
    expect(tokyo.dueAt).toBe("2026-03-08T00:00:00.000Z");
    const newYork = await parseQuickAdd("Call tomorrow 9am", { timeZone: "America/New_York", now: NOW });
    expect(newYork.dueAt).toBe("2026-03-07T14:00:00.000Z");
  });
});

describe("POST /api/v1/todos/parse", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  it("answers the fields a line means and creates nothing", async () => {
    const api = as(t.app, await signUp(t.app));
    const response = await api({
      method: "POST",
      url: "/api/v1/todos/parse",
      payload: { text: "Pay rent every month on the 1st #Home @bills !high", tz: TZ, now: NOW.toISOString() },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      title: "Pay rent",
      recurrence: "FREQ=MONTHLY;BYMONTHDAY=1",
      dueAt: "2026-04-01T21:59:00.000Z",
      listName: "Home",
      tags: ["bills"],
      priority: "high",
    });
    expect((await api({ method: "GET", url: "/api/v1/todos" })).json().items).toEqual([]);
  });

  it("reads the line in the user's own zone when no tz is given", async () => {
    const api = as(t.app, await signUp(t.app));
    await api({ method: "PATCH", url: "/api/v1/me", payload: { timezone: "Asia/Tokyo" } });
    const response = await api({
      method: "POST",
      url: "/api/v1/todos/parse",
      payload: { text: "Call tomorrow 9am", now: NOW.toISOString() },
    });
    expect(response.json().dueAt).toBe("2026-03-08T00:00:00.000Z");
  });

  it("refuses an empty line, an unknown zone and unknown fields with 422", async () => {
    const api = as(t.app, await signUp(t.app));
    for (const payload of [{ text: "  " }, { text: "x", tz: "Mars/Olympus" }, { text: "x", userId: "u" }]) {
      const response = await api({ method: "POST", url: "/api/v1/todos/parse", payload });
      expect(response.statusCode).toBe(422);
    }
  });

  it("needs a token", async () => {
    const response = await t.app.inject({ method: "POST", url: "/api/v1/todos/parse", payload: { text: "x" } });
    expect(response.statusCode).toBe(401);
  });
});
