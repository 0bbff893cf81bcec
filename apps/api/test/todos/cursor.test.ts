import { describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.ts";
import { decodeCursor, encodeCursor } from "../../src/todos/cursor.ts";

const ID = "018f3a4c-1d2e-7f00-8a00-000000000001";
const AT = "2026-03-29T01:00:00.000Z";

function expectInvalid(run: () => unknown) {
  try {
    run();
    expect.unreachable("the cursor was accepted");
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("invalid_query");
    expect((error as AppError).status).toBe(400);
  }
}

describe("cursors", () => {
  it("round-trip the sort and its values", () => {
    const encoded = encodeCursor({ sort: "created", values: [AT, ID] });
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(encoded, "created", ["instant", "uuid"])).toEqual({ sort: "created", values: [AT, ID] });
    const priority = encodeCursor({ sort: "priority", values: [3, 1.5, ID] });
    expect(decodeCursor(priority, "priority", ["number", "number", "uuid"]).values).toEqual([3, 1.5, ID]);
    const due = encodeCursor({ sort: "due", values: ["infinity", ID] });
    expect(decodeCursor(due, "due", ["instant", "uuid"]).values).toEqual(["infinity", ID]);
  });

  it("refuse a cursor of another sort", () => {
    const encoded = encodeCursor({ sort: "created", values: [AT, ID] });
    expectInvalid(() => decodeCursor(encoded, "-created", ["instant", "uuid"]));
  });

  it("refuse junk, wrong shapes and values of the wrong kind", () => {
    const raw = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    for (const encoded of [
      "",
      "!!!",
      "bm90IGpzb24",
      raw({}),
      raw(null),
      raw(["created"]),
      raw(["created", AT]),
      raw(["created", AT, ID, ID]),
      raw(["created", "yesterday", ID]),
      raw(["created", "2026-03-29", ID]),
      raw(["created", AT, "not-a-uuid"]),
      raw(["created", 5, ID]),
      raw(["created", AT, 5]),
    ]) {
      expectInvalid(() => decodeCursor(encoded, "created", ["instant", "uuid"]));
    }
    for (const value of ["1", null, Number.POSITIVE_INFINITY, "NaN"]) {
      expectInvalid(() => decodeCursor(raw(["position", value, ID]), "position", ["number", "uuid"]));
    }
    expectInvalid(() => decodeCursor(raw(["title", "x".repeat(1001), ID]), "title", ["text", "uuid"]));
    expectInvalid(() => decodeCursor(raw(["title", 5, ID]), "title", ["text", "uuid"]));
  });
});
