/** Due dates are picked as calendar days and stored as the end of that day in the user's zone. */
export function dueAtFromDateInput(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const [year, month, day] = value.split("-").map(Number) as [number, number, number];
  return new Date(year, month - 1, day, 23, 59, 59).toISOString();
}

export function dateInputFromDueAt(dueAt: string | null): string {
  if (!dueAt) return "";
  const date = new Date(dueAt);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" });

export function formatDue(dueAt: string): string {
  return dayFormat.format(new Date(dueAt));
}
