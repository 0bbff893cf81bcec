// Reminder emails: the scheduler is the outbox itself. Each sender round turns todos whose remindAt
// has come into outbox rows, keyed by (todo, remindAt) so that however many instances scan, and
// however often, each reminder is enqueued once; a restart resumes where the rows say.
//
// In a shared list a reminder goes to one person, not to everyone who sees the todo: its assignee,
// else whoever set the reminder (todos.reminder_by), else the list's owner (contract "Shared lists").
import { sql } from "drizzle-orm";
import type { Database, Executor } from "../db/client.ts";
import { rowsOf } from "../db/rows.ts";
import type { ClaimedMessage } from "./outbox.ts";
import { type MessageContext, type OutgoingMessage, reminderMessage } from "./templates.ts";

/**
 * How late a reminder may still be enqueued: covers an instance that was down (or every instance)
 * for up to this long. Older ones are dropped, and turning reminders on does not send a backlog.
 */
export const REMINDER_LOOKBACK_MS = 60 * 60 * 1000;

/** `who` still sees todo `t`: its owner, or a member of its list (an Inbox todo has no members). */
const seesTodo = (who: string) => `(${who} = t.user_id or exists (select 1 from list_members m
    where m.owner_id = t.user_id and m.list_id = t.list_id and m.member_id = ${who}))`;

/**
 * The recipient of todo `t`'s reminder, as a lateral `r(recipient)`. Each candidate counts only
 * while they still see the todo: an assignment or a reminder left behind by a member who was
 * removed, left or deleted their account, or by a move out of a shared list, falls to the next,
 * and in the end to the owner, so a reminder never tells anyone about a list they cannot see.
 */
const RECIPIENT = sql.raw(`cross join lateral (select case
    when t.assignee_id is not null and ${seesTodo("t.assignee_id")} then t.assignee_id
    when t.reminder_by is not null and ${seesTodo("t.reminder_by")} then t.reminder_by
    else t.user_id end as recipient) r
  join users u on u.id = r.recipient`);

/**
 * Enqueues every due reminder not enqueued yet, for recipients who asked for email reminders. The
 * row names the recipient (its user) and the todo's owner (whose rows hold the todo, decision 003).
 */
export async function enqueueDueReminders(db: Executor, now: Date): Promise<void> {
  const since = new Date(now.getTime() - REMINDER_LOOKBACK_MS);
  await db.execute(sql`
    insert into mail_outbox (id, kind, user_id, data, dedupe_key, next_attempt_at, created_at)
    select gen_random_uuid(), 'reminder', r.recipient,
      jsonb_build_object('ownerId', t.user_id, 'todoId', t.id, 'remindAt', t.remind_at),
      'reminder:' || t.user_id || ':' || t.id || ':' || (extract(epoch from t.remind_at) * 1000)::bigint,
      ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
    from todos t ${RECIPIENT}
    where t.remind_at is not null and not t.completed
      and t.remind_at <= ${now.toISOString()}::timestamptz and t.remind_at > ${since.toISOString()}::timestamptz
      and u.email_reminders
    on conflict (dedupe_key) do nothing`);
}

interface ReminderRow {
  title: string;
  completed: boolean;
  remind_at: string | Date | null;
  due_at: string | Date | null;
  timezone: string;
  email: string;
  name: string;
  email_reminders: boolean;
}

/**
 * Composes a reminder at send time, and sends nothing if, since it was enqueued, the todo was
 * completed, deleted or given another reminder time, or the recipient turned email reminders off.
 * The recipient is chosen again now: reassigned in the meantime, it goes to the new assignee.
 */
export function reminderComposer(db: Database, context: MessageContext) {
  return async (message: ClaimedMessage): Promise<OutgoingMessage | null> => {
    const { todoId, remindAt, ownerId } = message.data as { todoId: string; remindAt: string; ownerId?: string };
    // Rows enqueued before shared lists named only the owner, as their user.
    const owner = ownerId ?? message.userId;
    if (!owner) return null;
    const [row] = rowsOf<ReminderRow>(
      await db.execute(sql`
        select t.title, t.completed, t.remind_at, t.due_at, t.timezone, u.email, u.name, u.email_reminders
        from todos t ${RECIPIENT}
        where t.user_id = ${owner} and t.id = ${todoId}`),
    );
    if (!row?.remind_at || row.completed || !row.email_reminders) return null;
    const at = new Date(row.remind_at);
    if (at.getTime() !== new Date(remindAt).getTime()) return null;
    return {
      to: row.email,
      ...reminderMessage(context, {
        name: row.name,
        title: row.title,
        remindAt: at.toISOString(),
        timezone: row.timezone,
        dueAt: row.due_at ? new Date(row.due_at).toISOString() : null,
      }),
    };
  };
}
