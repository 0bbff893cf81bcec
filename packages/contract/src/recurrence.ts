/**
 * RFC 5545 rules our own quick add and repeat picker write. A month that lacks the day is skipped
 * by the standard ("the 31st" has no April), so "the 31st" as people mean it — the last day of
 * shorter months — is the standard's "the last of the 28th…31st" (BYSETPOS=-1), which every RFC
 * 5545 client evaluates the same way (decision 021).
 */

/** "Every month on the `day`th", falling on the month's last day where the month is shorter. */
export function monthlyOnDay(day: number, interval = 1): string {
  const every = `FREQ=MONTHLY${interval > 1 ? `;INTERVAL=${interval}` : ""}`;
  if (day <= 28) return `${every};BYMONTHDAY=${day}`;
  const days = Array.from({ length: day - 27 }, (_, index) => 28 + index).join(",");
  return `${every};BYMONTHDAY=${days};BYSETPOS=-1`;
}

/** "Every month on the last day". */
export const monthlyOnLastDay = (interval = 1) =>
  `FREQ=MONTHLY${interval > 1 ? `;INTERVAL=${interval}` : ""};BYMONTHDAY=-1`;
