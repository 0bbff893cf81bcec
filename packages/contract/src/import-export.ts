import { z } from "zod";
import { UserName } from "./auth.ts";
import { DateTime, Id } from "./common.ts";
import { ListColor, ListName } from "./lists.ts";
import { Description, Position, Priority, RecurFrom, Recurrence, Tags, TimeZone, Title } from "./todos.ts";

/** Version of the export document; see docs/export-format.md. */
export const EXPORT_VERSION = 1;
export const EXPORT_FORMAT = "taskvault-export";
/** Largest import body (JSON document or CSV): larger than the 64 KiB of other endpoints. */
export const IMPORT_BODY_LIMIT = 1024 * 1024;
export const IMPORT_TODOS_MAX = 10_000;
export const IMPORT_LISTS_MAX = 1_000;

export const ExportProfile = z.strictObject({
  email: z.string().max(254).optional(),
  name: UserName,
  timezone: TimeZone,
  createdAt: DateTime.optional(),
});

/** Ids in a document only link its parts together; the importer gives everything new ids. */
export const ExportList = z.strictObject({
  id: Id,
  name: ListName,
  color: ListColor.nullable(),
  position: Position,
  createdAt: DateTime,
  updatedAt: DateTime,
});
export type ExportList = z.infer<typeof ExportList>;

export const ExportTodo = z.strictObject({
  id: Id,
  title: Title,
  description: Description,
  completed: z.boolean(),
  completedAt: DateTime.nullable(),
  dueAt: DateTime.nullable(),
  priority: Priority,
  tags: Tags,
  position: Position,
  createdAt: DateTime,
  updatedAt: DateTime,
  listId: Id.nullable(),
  parentId: Id.nullable(),
  recurrence: Recurrence.nullable(),
  recurFrom: RecurFrom,
  remindAt: DateTime.nullable(),
  timezone: TimeZone,
  /** The instance completing this one created (recurring todos), so it is not created again. */
  nextId: Id.nullable(),
});
export type ExportTodo = z.infer<typeof ExportTodo>;

export const ExportDocument = z.strictObject({
  format: z.literal(EXPORT_FORMAT),
  version: z.literal(EXPORT_VERSION),
  exportedAt: DateTime,
  profile: ExportProfile,
  lists: z.array(ExportList).max(IMPORT_LISTS_MAX),
  todos: z.array(ExportTodo).max(IMPORT_TODOS_MAX),
});
export type ExportDocument = z.infer<typeof ExportDocument>;

/** `POST /api/v1/import` answer: how many todos were created. */
export const ImportResult = z.object({ imported: z.number().int() });
export type ImportResult = z.infer<typeof ImportResult>;
