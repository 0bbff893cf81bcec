import { z } from "zod";
import { DateTime, hasNoNul, Id, NO_NUL_MESSAGE } from "./common.ts";

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 5000;
export const TAGS_MAX = 20;
export const TAG_MAX = 32;

export const Priority = z.enum(["none", "low", "medium", "high"]);
export type Priority = z.infer<typeof Priority>;

export const Title = z
  .string()
  .trim()
  .min(1, "Title must not be empty")
  .max(TITLE_MAX, `Title must be at most ${TITLE_MAX} characters`)
  .refine(hasNoNul, NO_NUL_MESSAGE);
export const Description = z
  .string()
  .max(DESCRIPTION_MAX, `Description must be at most ${DESCRIPTION_MAX} characters`)
  .refine(hasNoNul, NO_NUL_MESSAGE);
export const Tag = z
  .string()
  .trim()
  .min(1, "Tags must not be empty")
  .max(TAG_MAX, `Tags must be at most ${TAG_MAX} characters`)
  .refine(hasNoNul, NO_NUL_MESSAGE);
export const Tags = z
  .array(Tag)
  .max(TAGS_MAX, `At most ${TAGS_MAX} tags`)
  .refine((tags) => new Set(tags).size === tags.length, "Tags must be distinct");
export const Position = z.number().finite();

export const TimeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, "Unknown time zone");

/** Where the next instance of a recurring todo is counted from: its due date, or when it was completed. */
export const RecurFrom = z.enum(["due", "completion"]);
export type RecurFrom = z.infer<typeof RecurFrom>;

const RRULE_PART = "[A-Za-z]+=[^;=\\s]+";
/**
 * An RFC 5545 RRULE value such as `FREQ=WEEKLY;BYDAY=MO` (an `RRULE:` prefix is accepted and
 * dropped; stored upper-case). The API checks the rule itself; this is only its outer syntax.
 */
export const Recurrence = z
  .string()
  .trim()
  .max(500, "Recurrence must be at most 500 characters")
  .regex(
    new RegExp(`^(?:RRULE:)?${RRULE_PART}(?:;${RRULE_PART})*$`, "i"),
    "Recurrence must be an RRULE such as FREQ=WEEKLY;BYDAY=MO",
  )
  .refine((rule) => /(?:^|[:;])FREQ=/i.test(rule), "Recurrence needs a FREQ")
  .transform((rule) => rule.replace(/^RRULE:/i, "").toUpperCase())
  // What comes out is a plain string again, so documents generated for responses (export) say so.
  .pipe(z.string());

export const Todo = z.object({
  id: Id,
  title: z.string(),
  description: z.string(),
  completed: z.boolean(),
  completedAt: DateTime.nullable(),
  dueAt: DateTime.nullable(),
  priority: Priority,
  tags: z.array(z.string()),
  position: z.number(),
  createdAt: DateTime,
  updatedAt: DateTime,
  version: z.number().int(),
  /** The list it belongs to; null is the Inbox. */
  listId: Id.nullable(),
  /** The todo it is a subtask of (at most 3 levels deep); null at the top level. */
  parentId: Id.nullable(),
  recurrence: z.string().nullable(),
  recurFrom: RecurFrom,
  remindAt: DateTime.nullable(),
  /** IANA zone its recurrence is computed in. */
  timezone: z.string(),
  /** The user who created it (in a shared list, any member who may write). */
  createdBy: Id,
  /** A member of its list (the owner for a todo outside any shared list) it is assigned to, or null. */
  assigneeId: Id.nullable(),
});
export type Todo = z.infer<typeof Todo>;

/** The writable fields; anything else in a body (id, version, owner …) is refused with 422. */
const writable = {
  title: Title,
  description: Description,
  completed: z.boolean(),
  dueAt: DateTime.nullable(),
  priority: Priority,
  tags: Tags,
  position: Position,
  listId: Id.nullable(),
  parentId: Id.nullable(),
  recurrence: Recurrence.nullable(),
  recurFrom: RecurFrom,
  remindAt: DateTime.nullable(),
  timezone: TimeZone,
  /** A member of the todo's list (or the caller), or null; anyone else is 422. */
  assigneeId: Id.nullable(),
};

export const CreateTodo = z.strictObject({
  ...writable,
  description: writable.description.optional(),
  completed: writable.completed.optional(),
  dueAt: writable.dueAt.optional(),
  priority: writable.priority.optional(),
  tags: writable.tags.optional(),
  position: writable.position.optional(),
  listId: writable.listId.optional(),
  parentId: writable.parentId.optional(),
  recurrence: writable.recurrence.optional(),
  recurFrom: writable.recurFrom.optional(),
  remindAt: writable.remindAt.optional(),
  timezone: writable.timezone.optional(),
  assigneeId: writable.assigneeId.optional(),
});
export type CreateTodo = z.infer<typeof CreateTodo>;

/** PUT: a full replacement; omitted optional fields return to their defaults. */
export const ReplaceTodo = CreateTodo;
export type ReplaceTodo = CreateTodo;

export const UpdateTodo = z.strictObject(writable).partial();
export type UpdateTodo = z.infer<typeof UpdateTodo>;

/** PATCH/PUT answer: the todo, and `next` when completing a recurring todo created its next instance. */
export const UpdateTodoResult = Todo.extend({ next: Todo.optional() });
export type UpdateTodoResult = z.infer<typeof UpdateTodoResult>;

export const TodoParams = z.object({ id: z.string() });

export const TodoStatus = z.enum(["all", "active", "completed"]);
export const TodoDue = z.enum(["overdue", "today", "upcoming", "none"]);
export const TodoSort = z.enum(["position", "created", "-created", "due", "priority", "title"]);
export type TodoSort = z.infer<typeof TodoSort>;

export const ListTodosQuery = z.strictObject({
  status: TodoStatus.default("all"),
  q: z.string().trim().max(200).refine(hasNoNul, NO_NUL_MESSAGE).optional(),
  tag: Tag.optional(),
  priority: Priority.optional(),
  due: TodoDue.optional(),
  /** The zone `due=today|upcoming` are counted in. When the query names none, the API counts in each todo's own `timezone` (UTC unless set). */
  tz: TimeZone.optional(),
  sort: TodoSort.default("position"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  // Long enough for a sort=title cursor on a 200-character title of 4-byte characters.
  cursor: z.string().max(2000).optional(),
  /** A list id, or `inbox` for todos in no list. */
  listId: z.union([z.literal("inbox"), Id]).optional(),
  /** A todo id (its direct subtasks), or `none` for top-level todos only. */
  parentId: z.union([z.literal("none"), Id]).optional(),
  /** `me`: only the todos assigned to the caller, in every list the caller sees. */
  assignee: z.literal("me").optional(),
});
export type ListTodosQuery = z.infer<typeof ListTodosQuery>;

export const TodoPage = z.object({
  items: z.array(Todo),
  nextCursor: z.string().nullable(),
});
export type TodoPage = z.infer<typeof TodoPage>;

export const DeleteTodosQuery = z.strictObject({
  status: z.literal("completed"),
});

export const CompleteAllResult = z.object({ updated: z.number().int() });
export type CompleteAllResult = z.infer<typeof CompleteAllResult>;

export const DeleteCompletedResult = z.object({ deleted: z.number().int() });
export type DeleteCompletedResult = z.infer<typeof DeleteCompletedResult>;

/** `POST /api/v1/todos/parse`: a quick-add line, read in `tz` (default: the user's zone) relative to `now`. */
export const ParseTodo = z.strictObject({
  text: z.string().trim().min(1, "Text must not be empty").max(1000, "Text must be at most 1000 characters"),
  tz: TimeZone.optional(),
  /** The moment "tomorrow" and "next fri" are counted from; default the server's clock. */
  now: DateTime.optional(),
});
export type ParseTodo = z.infer<typeof ParseTodo>;

/** What a quick-add line means; nothing is created. */
export const ParsedTodo = z.object({
  title: z.string(),
  dueAt: DateTime.nullable(),
  recurrence: z.string().nullable(),
  /** A `#List` name as typed; the client resolves it to a list (or offers to create it). */
  listName: z.string().nullable(),
  tags: z.array(z.string()),
  priority: Priority,
});
export type ParsedTodo = z.infer<typeof ParsedTodo>;
