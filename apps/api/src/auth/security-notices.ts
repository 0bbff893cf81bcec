// Security notices by email: the account's owner hears of every change that an intruder would make.
// The events and their wording are SECURITY_NOTICES in mail/templates.ts (one line each); callers
// notify in the transaction of the change, so a change that rolls back tells no one.
import type { Executor } from "../db/client.ts";
import { enqueueMessage } from "../mail/outbox.ts";
import type { SecurityEvent } from "../mail/templates.ts";
import type { ClientInfo } from "./context.ts";

export async function notifySecurityEvent(
  tx: Executor,
  userId: string,
  event: SecurityEvent,
  client: ClientInfo | null,
  options: { detail?: string; recipient?: string } = {},
): Promise<void> {
  await enqueueMessage(tx, {
    kind: "security_notice",
    userId,
    recipient: options.recipient ?? null,
    data: { event, at: new Date().toISOString(), ip: client?.ip ?? null, detail: options.detail ?? null },
  });
}
