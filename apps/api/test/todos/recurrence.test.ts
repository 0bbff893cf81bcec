import type { Todo } from "@taskvault/contract/todos";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRecurrence, nextInstance, type RecurringTodo } from "../../src/todos/recurrence.ts";
import { as, buildTestApp, signUp, type TestApp } from "../helpers/app.ts";

const series = (recurrence: string, dueAt: string, extra: Partial<RecurringTodo> = {}): RecurringTodo => ({
  recurrence,
  recurFrom: "due",
  timezone: "UTC",
  dueAt: new Date(dueAt),
  remindAt: null,
  ...extra,
});

/** Follows a series for n completions (each completed when due), returning the due dates. */
function follow(todo: RecurringTodo, n: number): string[] {
  const dues: string[] = [];
  let current = todo;
  for (let index = 0; index < n; index++) {
    const next = nextInstance(current, current.dueAt!);
    if (!next) break;
    dues.push(next.dueAt.toISOString());
    current = { ...current, dueAt: next.dueAt, remindAt: next.remindAt, recurrence: next.recurrence };
  }
  return dues;
}

describe("next instance of a recurring todo", () => {
  it("keeps 9:00 local across the spring-forward change (New York, 8 March 2026)", () => {
    const daily = series("FREQ=DAILY", "2026-03-07T14:00:00Z", { timezone: "America/New_York" });
    expect(follow(daily, 2)).toEqual(["2026-03-08T13:00:00.000Z", "2026-03-09T13:00:00.000Z"]);
  });

  it("keeps 9:00 local across the fall-back change (New York, 1 November 2026)", () => {
    const daily = series("FREQ=DAILY", "2026-10-31T13:00:00Z", { timezone: "America/New_York" });
    expect(follow(daily, 2)).toEqual(["2026-11-01T14:00:00.000Z", "2026-11-02T14:00:00.000Z"]);
  });

  it("keeps a weekly 8:30 in Paris across its summer-time change (29 March 2026)", () => {
    const weekly = series("FREQ=WEEKLY", "2026-03-23T07:30:00Z", { timezone: "Europe/Paris" });
    expect(follow(weekly, 1)).toEqual(["2026-03-30T06:30:00.000Z"]);
  });

  it("moves a time skipped by the change to just after the gap", () => {
    const daily = series("FREQ=DAILY", "2026-03-07T07:30:00Z", { timezone: "America/New_York" }); // 02:30 EST
    expect(follow(daily, 1)).toEqual(["2026-03-08T07:30:00.000Z"]); // 03:30 EDT: 02:30 does not exist
  });

  // RFC 5545 §3.3.10: a month without the day is skipped, and the rule is never rewritten, so every
  // RFC 5545 client predicts the dates the server creates (decision 021, superseding 020's clamping).
  it("skips months without the 31st, as RFC 5545 says, and keeps the rule as written", () => {
    const monthly = series("FREQ=MONTHLY", "2027-01-31T09:00:00Z");
    expect(follow(monthly, 4)).toEqual([
      "2027-03-31T09:00:00.000Z",
      "2027-05-31T09:00:00.000Z",
      "2027-07-31T09:00:00.000Z",
      "2027-08-31T09:00:00.000Z",
    ]);
    expect(nextInstance(monthly, new Date())!.recurrence).toBe("FREQ=MONTHLY");
  });

  it("skips February for an explicit BYMONTHDAY=30, even in a leap year", () => {
    const monthly = series("FREQ=MONTHLY;BYMONTHDAY=30", "2028-01-30T09:00:00Z");
    expect(follow(monthly, 2)).toEqual(["2028-03-30T09:00:00.000Z", "2028-04-30T09:00:00.000Z"]);
  });

  it("moves a yearly 29 February to the next leap year", () => {
    const yearly = series("FREQ=YEARLY", "2028-02-29T09:00:00Z");
    expect(follow(yearly, 2)).toEqual(["2032-02-29T09:00:00.000Z", "2036-02-29T09:00:00.000Z"]);
  });

  it("falls on the last day of shorter months with the standard BYSETPOS rule, kept as written", () => {
    const rule = "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1";
    const monthly = series(rule, "2027-01-31T09:00:00Z");
    expect(follow(monthly, 4)).toEqual([
      "2027-02-28T09:00:00.000Z",
      "2027-03-31T09:00:00.000Z",
      "2027-04-30T09:00:00.000Z",
      "2027-05-31T09:00:00.000Z",
    ]);
    expect(follow(series(rule, "2028-01-31T09:00:00Z"), 1)).toEqual(["2028-02-29T09:00:00.000Z"]);
    expect(nextInstance(monthly, new Date())!.recurrence).toBe(rule);
  });

  it("counts COUNT down and keeps the rest of the rule as written", () => {
    const counted = series("FREQ=MONTHLY;COUNT=3;BYMONTHDAY=31", "2027-01-31T09:00:00Z");
    const next = nextInstance(counted, counted.dueAt!)!;
    expect(next.dueAt.toISOString()).toBe("2027-03-31T09:00:00.000Z");
    expect(next.recurrence).toBe("FREQ=MONTHLY;COUNT=2;BYMONTHDAY=31");
    expect(follow(counted, 5)).toHaveLength(2);
  });

  it("keeps a monthly last-day rule at 9:00 local across a DST change (Berlin)", () => {
    const monthly = series("FREQ=MONTHLY;BYMONTHDAY=-1", "2027-02-28T08:00:00Z", { timezone: "Europe/Berlin" });
    expect(follow(monthly, 2)).toEqual(["2027-03-31T07:00:00.000Z", "2027-04-30T07:00:00.000Z"]);
  });

  it("skips the weekend for every weekday", () => {
    const weekdays = series("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "2026-11-26T09:00:00Z"); // a Thursday
    expect(follow(weekdays, 3)).toEqual([
      "2026-11-27T09:00:00.000Z",
      "2026-11-30T09:00:00.000Z",
      "2026-12-01T09:00:00.000Z",
    ]);
  });

  it("counts from the completion day, at the due time, with recurFrom=completion", () => {
    const todo = series("FREQ=DAILY;INTERVAL=3", "2026-11-01T09:00:00Z", { recurFrom: "completion" });
    const next = nextInstance(todo, new Date("2026-11-10T15:00:00Z"));
    expect(next!.dueAt.toISOString()).toBe("2026-11-13T09:00:00.000Z");
    const onTime = series("FREQ=DAILY;INTERVAL=3", "2026-11-01T09:00:00Z");
    expect(nextInstance(onTime, new Date("2026-11-10T15:00:00Z"))!.dueAt.toISOString()).toBe(
      "2026-11-04T09:00:00.000Z",
    );
  });

  it("counts from completion when there is no due date", () => {
    const todo: RecurringTodo = { ...series("FREQ=WEEKLY", "2026-01-01T00:00:00Z"), dueAt: null };
    const next = nextInstance(todo, new Date("2026-11-10T15:00:00Z"));
    expect(next!.dueAt.toISOString()).toBe("2026-11-17T15:00:00.000Z");
  });

  it("shifts the reminder by as much as the due date moved", () => {
    const todo = series("FREQ=WEEKLY", "2026-11-02T09:00:00Z", { remindAt: new Date("2026-11-02T08:45:00Z") });
    expect(nextInstance(todo, new Date())!.remindAt!.toISOString()).toBe("2026-11-09T08:45:00.000Z");
  });

  it("ends a series when COUNT is used up or UNTIL has passed", () => {
    expect(follow(series("FREQ=DAILY;COUNT=3", "2026-11-01T09:00:00Z"), 5)).toHaveLength(2);
    expect(follow(series("FREQ=DAILY;UNTIL=20261103T235959Z", "2026-11-01T09:00:00Z"), 5)).toHaveLength(2);
  });

  // RFC 5545 §3.3.10: a UTC UNTIL bounds the instants occurrences happen at, not their wall readings.
  it("bounds a series by a UTC UNTIL at the instants it happens, east and west of Greenwich", () => {
    // 09:30 in Berlin is 08:30Z, before 09:00Z on 5 January: that day is still in the series.
    const berlin = series("FREQ=DAILY;UNTIL=20270105T090000Z", "2027-01-03T08:30:00Z", { timezone: "Europe/Berlin" });
    expect(follow(berlin, 5)).toEqual(["2027-01-04T08:30:00.000Z", "2027-01-05T08:30:00.000Z"]);
    // 09:00 in New York is 14:00Z, after 12:00Z on 5 January: that day is not.
    const newYork = series("FREQ=DAILY;UNTIL=20270105T120000Z", "2027-01-03T14:00:00Z", {
      timezone: "America/New_York",
    });
    expect(follow(newYork, 5)).toEqual(["2027-01-04T14:00:00.000Z"]);
    expect(nextInstance(berlin, berlin.dueAt!)!.recurrence).toBe("FREQ=DAILY;UNTIL=20270105T090000Z");
  });

  it("reads an UNTIL without Z as a wall time in the todo's zone", () => {
    const berlin = series("FREQ=DAILY;UNTIL=20270105T093000", "2027-01-03T08:30:00Z", { timezone: "Europe/Berlin" });
    expect(follow(berlin, 5)).toEqual(["2027-01-04T08:30:00.000Z", "2027-01-05T08:30:00.000Z"]);
  });

  it("honours COUNT and UNTIL on the month-end rule, across a DST change (New York)", () => {
    const rule = "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1";
    // 18:00 in New York: EST in February, EDT from 8 March.
    const counted = series(`${rule};COUNT=3`, "2027-01-31T23:00:00Z", { timezone: "America/New_York" });
    expect(follow(counted, 5)).toEqual(["2027-02-28T23:00:00.000Z", "2027-03-31T22:00:00.000Z"]);
    const until = series(`${rule};UNTIL=20270430T220000Z`, "2027-01-31T23:00:00Z", { timezone: "America/New_York" });
    expect(follow(until, 5)).toEqual([
      "2027-02-28T23:00:00.000Z",
      "2027-03-31T22:00:00.000Z",
      "2027-04-30T22:00:00.000Z",
    ]);
  });

  it("refuses rules it cannot honour", () => {
    for (const rule of [
      "FREQ=DAILY;FOO=1",
      "FREQ=MONTHLY;BYMONTHDAY=32",
      "FREQ=WEEKLY;BYDAY=XX",
      "FREQ=DAILY;COUNT=2;UNTIL=20270101T000000Z",
      "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
      "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=2",
      "FREQ=WEEKLY;BYDAY=1MO",
      "INTERVAL=2",
    ]) {
      expect(() => checkRecurrence(rule), rule).toThrow();
    }
    for (const rule of ["FREQ=DAILY", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29"]) {
      expect(() => checkRecurrence(rule), rule).not.toThrow();
    }
  });
});

describe("completing a recurring todo through the API", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t?.close());

  async function recurring(overrides: Record<string, unknown> = {}) {
    const api = as(t.app, await signUp(t.app));
    const created = await api({
      method: "POST",
      url: "/api/v1/todos",
      payload: {
        title: "Water plants",
        dueAt: "2026-03-07T14:00:00Z",
        remindAt: "2026-03-07T13:30:00Z",
        recurrence: "FREQ=DAILY",
        timezone: "America/New_York",
        tags: ["home"],
        priority: "high",
        ...overrides,
      },
    });
    expect(created.statusCode).toBe(201);
    const todo = created.json() as Todo;
    const all = async () => (await api({ method: "GET", url: "/api/v1/todos?limit=200" })).json().items as Todo[];
    const complete = (headers: Record<string, string> = {}) =>
      api({ method: "PATCH", url: `/api/v1/todos/${todo.id}`, payload: { completed: true }, headers });
    return { api, todo, all, complete };
  }

  it("keeps the completed instance and answers with the next one, computed in the todo's zone", async () => {
    const { todo, all, complete } = await recurring();
    expect(todo).toMatchObject({ recurrence: "FREQ=DAILY", recurFrom: "due", timezone: "America/New_York" });
    const response = await complete();
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ id: todo.id, completed: true });
    expect(body.next).toMatchObject({
      title: "Water plants",
      completed: false,
      dueAt: "2026-03-08T13:00:00.000Z", // still 9:00 in New York, now on summer time
      remindAt: "2026-03-08T12:30:00.000Z",
      recurrence: "FREQ=DAILY",
      tags: ["home"],
      priority: "high",
      timezone: "America/New_York",
    });
    expect(body.next.id).not.toBe(todo.id);
    expect((await all()).map((item) => item.id).sort()).toEqual([todo.id, body.next.id].sort());
  });

  it("gives a quick-add 'every month on the 31st' the month-end rule, and its instances month ends", async () => {
    const { api } = await recurring();
    const parsed = await api({
      method: "POST",
      url: "/api/v1/todos/parse",
      payload: { text: "Pay rent every month on the 31st", tz: "Europe/Berlin", now: "2027-04-10T10:00:00Z" },
    });
    expect(parsed.statusCode).toBe(200);
    const { title, dueAt, recurrence } = parsed.json();
    expect(recurrence).toBe("FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1");
    expect(dueAt).toBe("2027-04-30T21:59:00.000Z"); // 23:59 on 30 April in Berlin
    const created = await api({
      method: "POST",
      url: "/api/v1/todos",
      payload: { title, dueAt, recurrence, timezone: "Europe/Berlin" },
    });
    let todo = created.json() as Todo;
    const dues: string[] = [];
    for (let index = 0; index < 3; index++) {
      const next = (
        await api({ method: "PATCH", url: `/api/v1/todos/${todo.id}`, payload: { completed: true } })
      ).json().next as Todo;
      expect(next.recurrence).toBe(recurrence);
      dues.push(next.dueAt!);
      todo = next;
    }
    expect(dues).toEqual(["2027-05-31T21:59:00.000Z", "2027-06-30T21:59:00.000Z", "2027-07-31T21:59:00.000Z"]);
  });

  it("creates the next instance when one PATCH both completes a todo and makes it repeat", async () => {
    const { api, todo, all } = await recurring({ recurrence: null });
    const response = await api({
      method: "PATCH",
      url: `/api/v1/todos/${todo.id}`,
      payload: { completed: true, recurrence: "FREQ=WEEKLY" },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().next).toMatchObject({ completed: false, recurrence: "FREQ=WEEKLY" });
    expect(await all()).toHaveLength(2);
  });

  it("answers 412 for a stale If-Match and 404 for a foreign todo, repeating or not", async () => {
    for (const recurrence of ["FREQ=DAILY", null]) {
      const { api, todo, all } = await recurring({ recurrence });
      const stale = await api({
        method: "PATCH",
        url: `/api/v1/todos/${todo.id}`,
        payload: { completed: true },
        headers: { "if-match": `"${todo.version + 1}"` },
      });
      expect(stale.statusCode).toBe(412);
      const stranger = as(t.app, await signUp(t.app));
      const foreign = await stranger({
        method: "PATCH",
        url: `/api/v1/todos/${todo.id}`,
        payload: { completed: true },
      });
      expect(foreign.statusCode).toBe(404);
      expect((await all()).map((item) => item.completed)).toEqual([false]);
    }
  });

  it("copies the subtasks, open again and at every level, to the next instance", async () => {
    const { api, todo, all, complete } = await recurring();
    const add = async (title: string, parentId: string, position: number) => {
      const response = await api({ method: "POST", url: "/api/v1/todos", payload: { title, parentId, position } });
      expect(response.statusCode).toBe(201);
      return response.json() as Todo;
    };
    const soil = await add("Check the soil", todo.id, 2);
    const pour = await add("Pour water", todo.id, 1);
    await add("Test with a finger", soil.id, 1);
    await api({ method: "PATCH", url: `/api/v1/todos/${pour.id}`, payload: { completed: true } });

    const next = (await complete()).json().next as Todo;
    const items = await all();
    const childrenOf = (id: string) =>
      items.filter((item) => item.parentId === id).sort((a, b) => a.position - b.position);
    expect(childrenOf(next.id).map((item) => [item.title, item.completed])).toEqual([
      ["Pour water", false],
      ["Check the soil", false],
    ]);
    const copiedSoil = childrenOf(next.id)[1]!;
    expect(copiedSoil.id).not.toBe(soil.id);
    expect(childrenOf(copiedSoil.id).map((item) => item.title)).toEqual(["Test with a finger"]);
    // The completed instance keeps its own checklist as it was.
    expect(childrenOf(todo.id).map((item) => [item.title, item.completed])).toEqual([
      ["Pour water", true],
      ["Check the soil", false],
    ]);
    // A retry of the completion copies nothing twice.
    await complete();
    expect(await all()).toHaveLength(items.length);
  });

  it("creates the next instance once under concurrent completions", async () => {
    const { all, complete } = await recurring();
    const responses = await Promise.all(Array.from({ length: 8 }, () => complete()));
    expect(responses.every((response) => response.statusCode === 200)).toBe(true);
    const nextIds = new Set(responses.map((response) => response.json().next?.id));
    expect(nextIds.size).toBe(1);
    expect(await all()).toHaveLength(2);
  });

  it("answers a retry with the same Idempotency-Key with the same next instance", async () => {
    const { all, complete } = await recurring();
    const first = await complete({ "idempotency-key": "complete-1" });
    const retry = await complete({ "idempotency-key": "complete-1" });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().next.id).toBe(first.json().next.id);
    expect(await all()).toHaveLength(2);
  });

  it("keeps the next instance when re-opened, and does not create another when completed again", async () => {
    const { api, todo, all, complete } = await recurring();
    const next = (await complete()).json().next as Todo;
    const reopened = await api({ method: "PATCH", url: `/api/v1/todos/${todo.id}`, payload: { completed: false } });
    expect(reopened.json().completed).toBe(false);
    expect(reopened.json().next).toBeUndefined();
    expect((await all()).map((item) => item.id)).toContain(next.id);
    const again = await complete();
    expect(again.json().next.id).toBe(next.id);
    expect(await all()).toHaveLength(2);
  });

  it("counts from completion with recurFrom=completion", async () => {
    const { complete } = await recurring({
      recurrence: "FREQ=DAILY;INTERVAL=3",
      recurFrom: "completion",
      dueAt: "2020-01-01T14:00:00Z",
      remindAt: null,
    });
    const before = Date.now();
    const next = (await complete()).json().next as Todo;
    const due = new Date(next.dueAt!).getTime();
    // Three days after today, at 9:00 New York time.
    expect(due).toBeGreaterThan(before + 2 * 86_400_000);
    expect(due).toBeLessThan(before + 4 * 86_400_000);
    expect(
      new Intl.DateTimeFormat("en-US", { timeZone: "America/New_York", hour: "numeric", hourCycle: "h23" }).format(due),
    ).toMatch(/^0?9$/);
  });

  it("gives recurring todos their next instance on complete-all", async () => {
    const { api, all } = await recurring();
    await api({ method: "POST", url: "/api/v1/todos", payload: { title: "one-off" } });
    const response = await api({ method: "POST", url: "/api/v1/todos/complete-all" });
    expect(response.json()).toEqual({ updated: 2 });
    const items = await all();
    expect(items).toHaveLength(3);
    expect(items.filter((item) => !item.completed).map((item) => item.title)).toEqual(["Water plants"]);
  });

  it("does not create a next instance when the series has ended", async () => {
    const { complete } = await recurring({ recurrence: "FREQ=DAILY;COUNT=1" });
    const response = await complete();
    expect(response.statusCode).toBe(200);
    expect(response.json().next).toBeUndefined();
  });

  it("refuses an invalid rule or time zone with 422", async () => {
    const api = as(t.app, await signUp(t.app));
    for (const payload of [
      { title: "x", recurrence: "every day" },
      { title: "x", recurrence: "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30" },
      { title: "x", recurrence: "FREQ=SECONDLY" },
      { title: "x", recurFrom: "whenever" },
      { title: "x", timezone: "Mars/Olympus" },
      { title: "x", remindAt: "tomorrow" },
    ]) {
      const response = await api({ method: "POST", url: "/api/v1/todos", payload });
      expect(response.statusCode, JSON.stringify(payload)).toBe(422);
    }
  });

  it("accepts an RRULE: prefix and lower case, and stores the rule upper-case", async () => {
    const api = as(t.app, await signUp(t.app));
    const response = await api({
      method: "POST",
      url: "/api/v1/todos",
      payload: { title: "x", recurrence: "RRULE:freq=weekly;byday=mo" },
    });
    expect(response.json().recurrence).toBe("FREQ=WEEKLY;BYDAY=MO");
  });
});
