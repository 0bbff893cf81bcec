import { z } from "zod";
import { Id } from "./common.ts";
import { List } from "./lists.ts";
import { Todo } from "./todos.ts";

/** Per-user sequence numbers: strictly increasing, one per change; 0 means "before the first". */
export const Seq = z.number().int().min(0);
export type Seq = z.infer<typeof Seq>;

export const ChangeType = z.enum(["todo.upserted", "todo.deleted", "list.upserted", "list.deleted"]);
export type ChangeType = z.infer<typeof ChangeType>;

/**
 * One entry of a user's change log. An upsert carries the whole entity as it was after that write;
 * a deletion is a tombstone (`data: null`). Applying a user's changes in `seq` order to the state
 * at some seq yields the state at the later seq.
 */
export const Change = z.discriminatedUnion("type", [
  z.object({ seq: Seq, type: z.literal("todo.upserted"), id: Id, data: Todo }),
  z.object({ seq: Seq, type: z.literal("todo.deleted"), id: Id, data: z.null() }),
  z.object({ seq: Seq, type: z.literal("list.upserted"), id: Id, data: List }),
  z.object({ seq: Seq, type: z.literal("list.deleted"), id: Id, data: z.null() }),
]);
export type Change = z.infer<typeof Change>;

export const CHANGES_LIMIT_MAX = 1000;

/** Non-negative integer in a query string (no signs, exponents or fractions). */
const SeqParam = z
  .string()
  .regex(/^\d{1,15}$/, "Must be a non-negative integer")
  .transform(Number);

export const ListChangesQuery = z.strictObject({
  /** The last seq the client has applied; 0 (the default) returns everything kept. */
  since: SeqParam.default(0),
  limit: z.coerce.number().int().min(1).max(CHANGES_LIMIT_MAX).default(CHANGES_LIMIT_MAX),
});
export type ListChangesQuery = z.infer<typeof ListChangesQuery>;

/**
 * `GET /api/v1/changes`: the changes after `since`, oldest first. `seq` is where the client stands
 * after applying them (the last one's seq, or the user's current seq when there is nothing newer);
 * pass it as the next `since`. `hasMore` means more changes follow: ask again at once.
 * A `since` older than the retained log (or newer than any seq) is 410 `gone`: do a full sync
 * (GET /api/v1/lists and /api/v1/todos), then continue from the `seq` of a fresh `changes` call
 * made before that sync.
 */
export const ChangePage = z.object({
  changes: z.array(Change),
  seq: Seq,
  hasMore: z.boolean(),
});
export type ChangePage = z.infer<typeof ChangePage>;

/**
 * `GET /api/v1/events` (server-sent events). Resume with the `Last-Event-ID` header (EventSource
 * sends it when it reconnects) or `?since=`; with neither the stream starts at the present.
 * Each change is a frame `id: <seq>`, `event: <ChangeType>`, `data: <Change as JSON>`.
 * Comment lines (`: ...`) are heartbeats. The stream ends with a `session.revoked` event when the
 * caller's session is revoked (do not reconnect: sign in again); it also ends, without an event,
 * when the access token expires, the server shuts down or the client reads too slowly: reconnect
 * (with a fresh token) and resume from the last id received.
 */
export const EventsQuery = z.strictObject({ since: SeqParam.optional() });
export type EventsQuery = z.infer<typeof EventsQuery>;

/** `Last-Event-ID`, as EventSource sends it on reconnection: the last seq received. */
export const EventsHeaders = z.looseObject({
  "last-event-id": z
    .string()
    .regex(/^\d{0,15}$/, "Must be the id of an event received: a non-negative integer")
    .transform((value) => (value === "" ? undefined : Number(value)))
    .optional(),
});
export type EventsHeaders = z.infer<typeof EventsHeaders>;

export const SESSION_REVOKED_EVENT = "session.revoked";
