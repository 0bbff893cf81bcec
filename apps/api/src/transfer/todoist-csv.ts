import type { ExportList, ExportTodo } from "@taskvault/contract/import-export";
import type { Priority } from "@taskvault/contract/todos";
import { uuidv7 } from "uuidv7";
import { validationError } from "../errors.ts";
import { parseQuickAdd } from "../todos/parse.ts";

/**
 * A Todoist project exported as CSV (columns TYPE, CONTENT, DESCRIPTION, PRIORITY, INDENT, AUTHOR,
 * RESPONSIBLE, DATE, DATE_LANG, TIMEZONE, DURATION, DURATION_UNIT), turned into the lists and
 * todos of an export document:
 * - `section` rows become lists (the tasks below them go in it; tasks before any section go to
 *   the Inbox); `note` rows are appended to the description of the task above.
 * - PRIORITY: Todoist's 1 is p1, its highest (see its help: "Type 1 to add p1 … highest
 *   priority"), so 1 → high, 2 → medium, 3 → low, 4 or empty → none.
 * - INDENT 1–4 gives subtasks; deeper than our 3 levels stays at the third.
 * - `@label` words in CONTENT become tags; DATE ("every monday", "Jan 5 2026 9am") is read by the
 *   quick-add parser in the row's TIMEZONE, or the user's.
 */

const PRIORITIES: Record<string, Priority> = { "1": "high", "2": "medium", "3": "low", "4": "none", "": "none" };
const LABEL = /(^|\s)@([\p{L}\p{N}_-]+)(?=$|\s)/gu;
const TITLE_MAX = 200;
const DESCRIPTION_MAX = 5000;
const LIST_NAME_MAX = 60;
const TAGS_MAX = 20;
const TAG_MAX = 32;

/** RFC 4180: commas, quoted fields with "" for a quote, CRLF or LF line ends, an optional BOM. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const source = text.replace(/^\uFEFF/, "");
  for (let index = 0; index < source.length; index++) {
    const char = source[index];
    if (quoted) {
      if (char === '"' && source[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"' && field === "") {
      quoted = true;
    } else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && source[index + 1] === "\n") index++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else {
      field += char;
    }
  }
  if (quoted) throw validationError("body", "The CSV has an unterminated quoted field");
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((cells) => cells.some((cell) => cell.trim() !== ""));
}

const isTimeZone = (zone: string) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const clip = (text: string, max: number) => [...text].slice(0, max).join("");

export interface TodoistImport {
  lists: ExportList[];
  todos: ExportTodo[];
}

export async function readTodoistCsv(text: string, options: { timeZone: string; now: Date }): Promise<TodoistImport> {
  const [header, ...rows] = parseCsv(text);
  const columns = new Map((header ?? []).map((name, index) => [name.trim().toUpperCase(), index]));
  if (!columns.has("TYPE") || !columns.has("CONTENT")) {
    throw validationError("body", "Not a Todoist CSV export: the first line must name the TYPE and CONTENT columns");
  }
  const now = options.now.toISOString();
  const lists: ExportList[] = [];
  const todos: ExportTodo[] = [];
  /** The last task at each level, the parent of a task one level deeper. */
  const stack: ExportTodo[] = [];
  let listId: string | null = null;

  for (const [rowIndex, cells] of rows.entries()) {
    const cell = (name: string) => (cells[columns.get(name) ?? -1] ?? "").trim();
    const type = cell("TYPE").toLowerCase();
    const content = cell("CONTENT");
    if (type === "section") {
      const name = clip(content, LIST_NAME_MAX).trim() || `Section ${lists.length + 1}`;
      const existing = lists.find((list) => list.name.toLowerCase() === name.toLowerCase());
      listId = existing?.id ?? uuidv7();
      if (!existing) {
        lists.push({ id: listId, name, color: null, position: lists.length + 1, createdAt: now, updatedAt: now });
      }
      stack.length = 0;
    } else if (type === "note") {
      const task = stack.at(-1);
      if (task && content) {
        task.description = clip(task.description ? `${task.description}\n\n${content}` : content, DESCRIPTION_MAX);
      }
    } else if (type === "task") {
      const tags: string[] = [];
      const title = content
        .replace(LABEL, (whole, lead: string, label: string) => {
          if (label.length > TAG_MAX || tags.length >= TAGS_MAX) return whole;
          if (!tags.includes(label)) tags.push(label);
          return lead;
        })
        .replace(/\s+/g, " ")
        .trim();
      const priority = PRIORITIES[cell("PRIORITY")];
      if (!priority) throw validationError(`rows.${rowIndex + 2}.PRIORITY`, "PRIORITY must be 1, 2, 3 or 4");
      const indent = Math.min(Math.max(Number.parseInt(cell("INDENT") || "1", 10) || 1, 1), 3);
      const zone = cell("TIMEZONE");
      const dateText = cell("DATE");
      const when = dateText
        ? await parseQuickAdd(dateText, { timeZone: isTimeZone(zone) ? zone : options.timeZone, now: options.now })
        : null;
      const parent = indent > 1 ? stack[Math.min(indent - 1, stack.length) - 1] : undefined;
      const todo: ExportTodo = {
        id: uuidv7(),
        title: clip(title || content || "Untitled", TITLE_MAX),
        description: clip(cell("DESCRIPTION"), DESCRIPTION_MAX),
        completed: false,
        completedAt: null,
        dueAt: when?.dueAt ?? null,
        priority,
        tags,
        position: todos.length + 1,
        createdAt: now,
        updatedAt: now,
        listId,
        parentId: parent?.id ?? null,
        recurrence: when?.recurrence ?? null,
        recurFrom: "due",
        remindAt: null,
        timezone: isTimeZone(zone) ? zone : options.timeZone,
        nextId: null,
      };
      todos.push(todo);
      const level = parent ? stack.indexOf(parent) + 2 : 1;
      stack.length = level - 1;
      stack.push(todo);
    } else if (type !== "") {
      throw validationError(`rows.${rowIndex + 2}.TYPE`, "TYPE must be task, section or note");
    }
  }
  return { lists, todos };
}
