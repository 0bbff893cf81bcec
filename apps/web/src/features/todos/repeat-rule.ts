/**
 * The custom repeats the details panel can edit: every N days, weeks (on chosen weekdays), months
 * or years, i.e. RRULEs made only of FREQ, INTERVAL and a weekly BYDAY of plain days. Other rules
 * ("every month on the 15th" from quick add) are kept as they are, not rewritten.
 */
export const REPEAT_UNITS = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"] as const;
export type RepeatUnit = (typeof REPEAT_UNITS)[number];

export const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export type CustomRepeat = { every: number; unit: RepeatUnit; weekdays: Weekday[] };

const isUnit = (value: string): value is RepeatUnit => (REPEAT_UNITS as readonly string[]).includes(value);
const isWeekday = (value: string): value is Weekday => (WEEKDAYS as readonly string[]).includes(value);

/** The rule as the custom editor's fields, or null when it says more than they can show. */
export function customRepeatOf(rule: string): CustomRepeat | null {
  const parts = new Map<string, string>();
  for (const part of rule.toUpperCase().split(";")) {
    const [key = "", value = ""] = part.split("=");
    if (key !== "FREQ" && key !== "INTERVAL" && key !== "BYDAY") return null;
    parts.set(key, value);
  }
  const unit = parts.get("FREQ") ?? "";
  const every = Number(parts.get("INTERVAL") ?? "1");
  const days = parts.get("BYDAY")?.split(",") ?? [];
  if (!isUnit(unit) || !Number.isInteger(every) || every < 1) return null;
  if (!days.every(isWeekday) || (days.length > 0 && unit !== "WEEKLY")) return null;
  return { every, unit, weekdays: WEEKDAYS.filter((day) => days.includes(day)) };
}

/** The fields as an RRULE, leaving out what is the default (INTERVAL=1, no weekdays). */
export function ruleOf({ every, unit, weekdays }: CustomRepeat): string {
  let rule = `FREQ=${unit}`;
  if (every > 1) rule += `;INTERVAL=${Math.floor(every)}`;
  if (unit === "WEEKLY" && weekdays.length > 0) {
    rule += `;BYDAY=${WEEKDAYS.filter((day) => weekdays.includes(day)).join(",")}`;
  }
  return rule;
}
