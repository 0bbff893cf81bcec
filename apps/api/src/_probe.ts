import rrule from "rrule";
import * as chrono from "chrono-node";
const { RRule, rrulestr } = rrule;
const r = rrulestr("FREQ=WEEKLY;BYDAY=MO", { dtstart: new Date(Date.UTC(2026, 0, 1, 9)) });
console.log(typeof RRule, r.after(new Date(Date.UTC(2026,0,1,9))), chrono.parseDate("tomorrow 5pm"));
