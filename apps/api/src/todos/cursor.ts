import type { TodoSort } from "@taskvault/contract/todos";
import { AppError } from "../errors.ts";
import { isUuid } from "../ids.ts";

export type CursorValue = string | number;
/** What each sort-key value must be, checked before it reaches SQL. */
export type ValueKind = "instant" | "number" | "uuid" | "text";

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const isKind: Record<ValueKind, (value: unknown) => boolean> = {
  // "infinity" stands for "no due date", which sorts last.
  instant: (value) => typeof value === "string" && (value === "infinity" || ISO_INSTANT.test(value)),
  number: (value) => typeof value === "number" && Number.isFinite(value),
  uuid: isUuid,
  text: (value) => typeof value === "string" && value.length <= 1000,
};

/**
 * A cursor is the sort it belongs to and the sort-key values of the last item served, so the next
 * page starts strictly after that item (keyset pagination): inserts and deletes elsewhere in the
 * list never make a page repeat or skip an unchanged item. Opaque to clients (base64url JSON).
 */
export interface Cursor {
  sort: TodoSort;
  values: CursorValue[];
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, ...cursor.values])).toString("base64url");
}

export function decodeCursor(encoded: string, expectedSort: TodoSort, kinds: ValueKind[]): Cursor {
  const invalid = () =>
    new AppError("invalid_query", "The cursor is invalid for this query", { errors: { cursor: ["Invalid cursor"] } });
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(encoded, "base64url").toString("utf8"));
  } catch {
    throw invalid();
  }
  if (!Array.isArray(decoded) || decoded.length !== kinds.length + 1 || decoded[0] !== expectedSort) throw invalid();
  const values = decoded.slice(1);
  if (!kinds.every((kind, index) => isKind[kind](values[index]))) throw invalid();
  return { sort: expectedSort, values: values as CursorValue[] };
}
