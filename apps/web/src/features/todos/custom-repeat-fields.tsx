"use client";

import { type CustomRepeat, REPEAT_UNITS, type RepeatUnit, WEEKDAYS } from "./repeat-rule.ts";

const UNIT_NAMES: Record<RepeatUnit, string> = { DAILY: "days", WEEKLY: "weeks", MONTHLY: "months", YEARLY: "years" };
const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** "Every [2] [weeks] on [Mon] [Thu]": the custom repeat, as an RRULE once saved. */
export function CustomRepeatFields({
  custom,
  onChange,
}: {
  custom: CustomRepeat;
  onChange(custom: CustomRepeat): void;
}) {
  return (
    <fieldset className="flex flex-wrap items-center gap-2 text-sm sm:col-span-3">
      <legend className="label">Custom repeat</legend>
      <span aria-hidden="true">Every</span>
      <input
        type="number"
        aria-label="Interval"
        min={1}
        max={99}
        className="field w-20 py-1"
        value={custom.every}
        onChange={(event) => onChange({ ...custom, every: Math.max(1, Number(event.currentTarget.value) || 1) })}
      />
      <select
        aria-label="Period"
        className="field w-auto py-1"
        value={custom.unit}
        onChange={(event) => onChange({ ...custom, unit: event.currentTarget.value as RepeatUnit })}
      >
        {REPEAT_UNITS.map((unit) => (
          <option key={unit} value={unit}>
            {UNIT_NAMES[unit]}
          </option>
        ))}
      </select>
      {custom.unit === "WEEKLY" ? (
        <span className="flex flex-wrap gap-1">
          <span aria-hidden="true">on</span>
          {WEEKDAYS.map((day, index) => (
            <label
              key={day}
              className="flex items-center gap-1 rounded-md border border-slate-300 px-1.5 dark:border-slate-700"
            >
              <input
                type="checkbox"
                checked={custom.weekdays.includes(day)}
                onChange={(event) =>
                  onChange({
                    ...custom,
                    weekdays: event.currentTarget.checked
                      ? [...custom.weekdays, day]
                      : custom.weekdays.filter((other) => other !== day),
                  })
                }
              />
              <span aria-hidden="true">{WEEKDAY_NAMES[index]?.slice(0, 3)}</span>
              <span className="sr-only">{WEEKDAY_NAMES[index]}</span>
            </label>
          ))}
        </span>
      ) : null}
    </fieldset>
  );
}
