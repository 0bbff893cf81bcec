import { offsetAt, type WallTime, wallClock, zonedInstant } from "@taskvault/contract/calendar";
import { monthlyOnDay, monthlyOnLastDay } from "@taskvault/contract/recurrence";
import type { ParsedTodo, Priority } from "@taskvault/contract/todos";
import { eq } from "drizzle-orm";
import type { Executor } from "../db/client.ts";
import { users } from "../db/schema.ts";
import { firstOccurrence } from "./recurrence.ts";

/**
 * Quick-add: one line of text → the fields it means. Our own small grammar takes `#List`, `@tag`,
 * `!priority` and "every …" repeats out of the line; chrono-node reads the natural date in what is
 * left; the rest is the title. A token only counts as a whole word that starts with a letter, so
 * "#3", "@ 5$" and "bob@example.com" stay plain title text.
 */

/** A date said without a time ("tomorrow") is due at the end of that day: not overdue until it is over. */
const END_OF_DAY = { hour: 23, minute: 59, second: 0 };
const TAGS_MAX = 20;
const TAG_MAX = 32;
const LIST_NAME_MAX = 60;

const WORD_END = "(?=$|[\\s.,;:!?)])";
const LIST_TOKEN = new RegExp(`(^|\\s)#(\\p{L}[\\p{L}\\p{N}_-]*)${WORD_END}`, "u");
const TAG_TOKEN = new RegExp(`(^|\\s)@(\\p{L}[\\p{L}\\p{N}_-]*)${WORD_END}`, "gu");
const PRIORITY_TOKEN = new RegExp(`(^|\\s)!(low|medium|med|high|none)${WORD_END}`, "gi");

const WEEKDAYS: [RegExp, string][] = [
  [/^mon(day)?$/, "MO"],
  [/^tue(s(day)?)?$/, "TU"],
  [/^wed(s|nesday)?$/, "WE"],
  [/^thu(r(s(day)?)?)?$/, "TH"],
  [/^fri(day)?$/, "FR"],
  [/^sat(urday)?$/, "SA"],
  [/^sun(day)?$/, "SU"],
];
const DAY_NAME =
  "(?:mon(?:day)?|tue(?:s(?:day)?)?|wed(?:s|nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)";
const FREQUENCIES: Record<string, string> = {
  hour: "HOURLY",
  day: "DAILY",
  week: "WEEKLY",
  month: "MONTHLY",
  year: "YEARLY",
};

interface RepeatRule {
  pattern: RegExp;
  rule(match: RegExpExecArray): string;
}

const intervalCount = (text: string | undefined) => (!text ? 1 : /other/i.test(text) ? 2 : Number(text));
const interval = (text: string | undefined) => {
  const count = intervalCount(text);
  return count > 1 ? `;INTERVAL=${count}` : "";
};

const weekday = (name: string) => WEEKDAYS.find(([pattern]) => pattern.test(name.toLowerCase()))?.[1];

/** "every …" phrases, most specific first. */
const REPEATS: RepeatRule[] = [
  {
    pattern: /\bevery\s+(?:week\s*day|work\s*day)s?\b/i,
    rule: () => "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
  },
  { pattern: /\bevery\s+weekends?\b/i, rule: () => "FREQ=WEEKLY;BYDAY=SA,SU" },
  {
    pattern: new RegExp(`\\bevery\\s+(other\\s+)?(${DAY_NAME}(?:\\s*(?:,|&|\\band\\b)\\s*${DAY_NAME})*)\\b`, "i"),
    rule: (match) => {
      const days = match[2]!.split(/\s*(?:,|&|\band\b)\s*/i).map(weekday);
      return `FREQ=WEEKLY${interval(match[1])};BYDAY=${[...new Set(days)].join(",")}`;
    },
  },
  {
    pattern:
      /\bevery\s+(other\s+|\d{1,3}\s+)?(hour|day|week|month|year)s?(?:\s+on\s+the\s+(?:(\d{1,2})(?:st|nd|rd|th)|(last))(?:\s+day)?)?\b/i,
    rule: (match) => {
      const freq = FREQUENCIES[match[2]!.toLowerCase()]!;
      const base = `FREQ=${freq}${interval(match[1]?.trim())}`;
      if (freq !== "MONTHLY") return base;
      if (match[4]) return monthlyOnLastDay(intervalCount(match[1]?.trim()));
      return match[3] ? monthlyOnDay(Number(match[3]), intervalCount(match[1]?.trim())) : base;
    },
  },
  {
    pattern: /\bevery\s+last\s+day(?:\s+of\s+the\s+month)?\b/i,
    rule: () => monthlyOnLastDay(),
  },
  {
    pattern: /\bevery\s+(\d{1,2})(?:st|nd|rd|th)(?:\s+(?:day\s+)?of\s+the\s+month)?\b/i,
    rule: (match) => monthlyOnDay(Number(match[1])),
  },
];

/** Words that only introduce a date ("due on", "at", "by"): dropped with it. */
const DATE_LEAD = /\s+(?:due\s+(?:on|by|at)?|on|at|by|from|starting)\s*$/i;
/** Times of day chrono implies but does not mark certain ("tonight", "this evening"): kept. */
const PART_OF_DAY = /\b(?:morning|afternoon|evening|tonight|night)\b/i;
const MONTH_ONLY = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$/i;

const normalize = (text: string) => text.replace(/\s+/g, " ").trim();
const cut = (text: string, from: number, length: number) => `${text.slice(0, from)} ${text.slice(from + length)}`;

export interface ParseOptions {
  timeZone: string;
  now: Date;
}

// chrono-node's locale tables are a large part of an idle server's memory (decision 008), and most
// servers never read a quick-add line, so they are loaded on the first one.
let chronoModule: Promise<typeof import("chrono-node")> | undefined;

export async function parseQuickAdd(input: string, { timeZone, now }: ParseOptions): Promise<ParsedTodo> {
  chronoModule ??= import("chrono-node");
  const chrono = await chronoModule;
  let text = ` ${input.replace(/\s+/g, " ")} `;

  let listName: string | null = null;
  const list = LIST_TOKEN.exec(text);
  if (list && list[2]!.length <= LIST_NAME_MAX) {
    listName = list[2]!;
    text = cut(text, list.index + list[1]!.length, list[2]!.length + 1);
  }

  const tags: string[] = [];
  text = text.replace(TAG_TOKEN, (whole, lead: string, tag: string) => {
    if (tag.length > TAG_MAX || (tags.length >= TAGS_MAX && !tags.includes(tag))) return whole;
    if (!tags.includes(tag)) tags.push(tag);
    return lead;
  });

  let priority: Priority = "none";
  text = text.replace(PRIORITY_TOKEN, (_, lead: string, level: string) => {
    const lowered = level.toLowerCase();
    priority = (lowered === "med" ? "medium" : lowered) as Priority;
    return lead;
  });

  let recurrence: string | null = null;
  for (const repeat of REPEATS) {
    const match = repeat.pattern.exec(text);
    if (!match) continue;
    recurrence = repeat.rule(match);
    text = cut(text, match.index, match[0].length);
    break;
  }

  const reference = { instant: now, timezone: Math.round(offsetAt(now.getTime(), timeZone) / 60_000) };
  const result = chrono
    .parse(text, reference, { forwardDate: true })
    .find((candidate) => !MONTH_ONLY.test(candidate.text.trim()));
  let wall: WallTime | null = null;
  if (result) {
    const { start } = result;
    const hasTime = start.isCertain("hour") || PART_OF_DAY.test(result.text);
    wall = {
      year: start.get("year")!,
      month: start.get("month")!,
      day: start.get("day")!,
      ...(hasTime ? { hour: start.get("hour")!, minute: start.get("minute") ?? 0, second: 0 } : END_OF_DAY),
    };
    const before = text.slice(0, result.index).replace(DATE_LEAD, " ");
    text = `${before} ${text.slice(result.index + result.text.length)}`;
  }

  let dueAt: Date | null = null;
  if (recurrence) {
    const today = wallClock(timeZone, now.getTime());
    const start = wall ?? { year: today.year, month: today.month, day: today.day, ...END_OF_DAY };
    dueAt = firstOccurrence(recurrence, timeZone, start, now);
  } else if (wall) {
    dueAt = zonedInstant(timeZone, wall);
  }

  const title = normalize(text).replace(/^[\s,;:–-]+|[\s,;:–-]+$/g, "");
  return {
    title: title || normalize(input),
    dueAt: dueAt?.toISOString() ?? null,
    recurrence,
    listName,
    tags,
    priority,
  };
}

/** `POST /api/v1/todos/parse`: reads the line in the zone given, or else the user's own. */
export async function parseTodoText(
  db: Executor,
  userId: string,
  input: { text: string; tz?: string | undefined; now?: string | undefined },
): Promise<ParsedTodo> {
  let timeZone = input.tz;
  if (!timeZone) {
    const [user] = await db.select({ timezone: users.timezone }).from(users).where(eq(users.id, userId));
    timeZone = user?.timezone ?? "UTC";
  }
  return parseQuickAdd(input.text, { timeZone, now: input.now ? new Date(input.now) : new Date() });
}
