// Reminder emails: the scheduler is the outbox itself. Each sender round turns todos whose remindAt
// has come into outbox rows, keyed by (todo, remindAt) so that however many instances scan, and
// however often, each reminder is enqueued once; a restart resumes where the rows say.
import { and, eq, sql } from "drizzle-orm";
import type { Database, Executor } from "../db/client.ts";
import { todos, users } from "../db/schema.ts";
import type { ClaimedMessage } from "./outbox.ts";
import { type MessageContext, type OutgoingMessage, reminderMessage } from "./templates.ts";

/**
 * How late a reminder may still be enqueued: covers an instance that was down (or every instance)
 * for up to this long. Older ones are dropped, and turning reminders on does not send a backlog.
 */
export const REMINDER_LOOKBACK_MS = 60 * 60 * 1000;

/** Enqueues every due reminder not enqueued yet, for users who asked for email reminders. */
export async function enqueueDueReminders(db: Executor, now: Date): Promise<void> {
  const since = new Date(now.getTime() - REMINDER_LOOKBACK_MS);
  await db.execute(sql`
    insert into mail_outbox (id, kind, user_id, data, dedupe_key, next_attempt_at, created_at)
    select gen_random_uuid(), 'reminder', t.user_id,
      jsonb_build_object('todoId', t.id, 'remindAt', t.remind_at),
      'reminder:' || t.user_id || ':' || t.id || ':' || (extract(epoch from t.remind_at) * 1000)::bigint,
      ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz
    from todos t join users u on u.id = t.user_id
    where t.remind_at is not null and not t.completed
      and t.remind_at <= ${now.toISOString()}::timestamptz and t.remind_at > ${since.toISOString()}::timestamptz
      and u.email_reminders
    on conflict (dedupe_key) do nothing`);
}

/**
 * Composes a reminder at send time, and sends nothing if, since it was enqueued, the todo was
 * completed, deleted or given another reminder time, or the user turned email reminders off.
 */
export function reminderComposer(db: Database, context: MessageContext) {
  return async (message: ClaimedMessage): Promise<OutgoingMessage | null> => {
    const { todoId, remindAt } = message.data as { todoId: string; remindAt: string };
    if (!message.userId) return null;
    const [row] = await db
      .select({
        title: todos.title,
        completed: todos.completed,
        remindAt: todos.remindAt,
        dueAt: todos.dueAt,
        timezone: todos.timezone,
        email: users.email,
        name: users.name,
        emailReminders: users.emailReminders,
      })
      .from(todos)
      .innerJoin(users, eq(users.id, todos.userId))
      .where(and(eq(todos.userId, message.userId), eq(todos.id, todoId)));
    if (!row || row.completed || !row.emailReminders) return null;
    if (row.remindAt?.getTime() !== new Date(remindAt).getTime()) return null;
    return {
      to: row.email,
      ...reminderMessage(context, {
        name: row.name,
        title: row.title,
        remindAt: row.remindAt.toISOString(),
        timezone: row.timezone,
        dueAt: row.dueAt?.toISOString() ?? null,
      }),
    };
  };
}
