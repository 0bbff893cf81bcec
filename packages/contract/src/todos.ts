import { z } from "zod";
import { DateTime, Id } from "./common.ts";

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
  .max(TITLE_MAX, `Title must be at most ${TITLE_MAX} characters`);
export const Description = z.string().max(DESCRIPTION_MAX, `Description must be at most ${DESCRIPTION_MAX} characters`);
export const Tag = z
  .string()
  .trim()
  .min(1, "Tags must not be empty")
  .max(TAG_MAX, `Tags must be at most ${TAG_MAX} characters`);
export const Tags = z
  .array(Tag)
  .max(TAGS_MAX, `At most ${TAGS_MAX} tags`)
  .refine((tags) => new Set(tags).size === tags.length, "Tags must be distinct");
export const Position = z.number().finite();

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
};

export const CreateTodo = z.strictObject({
  ...writable,
  description: writable.description.optional(),
  completed: writable.completed.optional(),
  dueAt: writable.dueAt.optional(),
  priority: writable.priority.optional(),
  tags: writable.tags.optional(),
  position: writable.position.optional(),
});
export type CreateTodo = z.infer<typeof CreateTodo>;

/** PUT: a full replacement; omitted optional fields return to their defaults. */
export const ReplaceTodo = CreateTodo;
export type ReplaceTodo = CreateTodo;

export const UpdateTodo = z.strictObject(writable).partial();
export type UpdateTodo = z.infer<typeof UpdateTodo>;

export const TodoParams = z.object({ id: z.string() });

export const TodoStatus = z.enum(["all", "active", "completed"]);
export const TodoDue = z.enum(["overdue", "today", "upcoming", "none"]);
export const TodoSort = z.enum(["position", "created", "-created", "due", "priority", "title"]);
export type TodoSort = z.infer<typeof TodoSort>;

export const TimeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, "Unknown time zone");

export const ListTodosQuery = z.strictObject({
  status: TodoStatus.default("all"),
  q: z.string().trim().max(200).optional(),
  tag: Tag.optional(),
  priority: Priority.optional(),
  due: TodoDue.optional(),
  tz: TimeZone.default("UTC"),
  sort: TodoSort.default("position"),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(1000).optional(),
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
