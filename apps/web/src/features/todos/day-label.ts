import { addDays } from "@taskvault/contract/calendar";

// English, like the rest of the interface, and the same on the server and in every browser, so a
// heading never changes during hydration: "Wed 27 Nov".
const dayFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  weekday: "short",
  day: "numeric",
  month: "short",
});
const dayWithYearFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: "UTC",
  weekday: "short",
  day: "numeric",
  month: "short",
  year: "numeric",
});

/** How a day reads as a heading, seen from `today`: "Today", "Tomorrow", "Wed 27 Nov", "Tue 5 Jan 2027". */
export function dayLabel(day: string, today: string): string {
  if (day === today) return "Today";
  if (day === addDays(today, 1)) return "Tomorrow";
  const format = day.slice(0, 4) === today.slice(0, 4) ? dayFormat : dayWithYearFormat;
  return format.format(Date.parse(`${day}T12:00:00Z`)).replace(",", "");
}
