import { describe, expect, it } from "vitest";
import { DatabaseDeadlineError } from "../../src/db/availability.ts";
import { batchWrites } from "../../src/db/batches.ts";

/** A writer whose statements finish when the test says so, and that records what each carried. */
function controlledWriter({ maxBatch = 64, maxInFlight = 1, stallMs = 60_000 } = {}) {
  const statements: { items: number[]; finish(error?: unknown): void }[] = [];
  const statement = (items: number[]) =>
    new Promise<number[]>((resolve, reject) => {
      statements.push({
        items,
        finish: (error) => (error ? reject(error) : resolve(items.map((item) => item * 10))),
      });
    });
  const writes = batchWrites<number, number>({
    many: statement,
    one: async (item) => (await statement([item]))[0]!,
    maxBatch,
    maxInFlight,
    stallMs,
  });
  return { writes, statements };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe("batched writes", () => {
  it("sends a write at once when nothing else is in flight", async () => {
    const { writes, statements } = controlledWriter();
    const written = writes.write(1);
    expect(statements.map((s) => s.items)).toEqual([[1]]);
    statements[0]!.finish();
    expect(await written).toBe(10);
  });

  it("sends the writes that arrive while a statement is in flight together, each with its own result", async () => {
    const { writes, statements } = controlledWriter();
    const first = writes.write(1);
    const rest = [2, 3, 4].map((item) => writes.write(item));
    expect(statements).toHaveLength(1);
    statements[0]!.finish();
    expect(await first).toBe(10);
    await settled();
    expect(statements.map((s) => s.items)).toEqual([[1], [2, 3, 4]]);
    statements[1]!.finish();
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(writes.sent).toEqual({ statements: 2, items: 4 });
  });

  it("keeps maxInFlight statements under way and no more than maxBatch writes in one", async () => {
    const { writes, statements } = controlledWriter({ maxBatch: 2, maxInFlight: 2 });
    const all = [1, 2, 3, 4, 5, 6].map((item) => writes.write(item));
    expect(statements.map((s) => s.items)).toEqual([[1], [2]]);
    statements[0]!.finish();
    await settled();
    expect(statements.map((s) => s.items)).toEqual([[1], [2], [3, 4]]);
    statements[1]!.finish();
    await settled();
    expect(statements.map((s) => s.items)).toEqual([[1], [2], [3, 4], [5, 6]]);
    statements[2]!.finish();
    statements[3]!.finish();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it("writes each write of a refused batch alone, so only the one the database refuses fails", async () => {
    const { writes, statements } = controlledWriter();
    const first = writes.write(1);
    const rest = [2, 3, 4].map((item) => writes.write(item));
    statements[0]!.finish();
    await first;
    await settled();
    statements[1]!.finish(Object.assign(new Error("violates foreign key"), { code: "23503" }));
    await settled();
    expect(statements.slice(2).map((s) => s.items)).toEqual([[2], [3], [4]]);
    statements[2]!.finish();
    statements[3]!.finish(Object.assign(new Error("violates foreign key"), { code: "23503" }));
    statements[4]!.finish();
    const results = await Promise.allSettled(rest);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(results[0]).toEqual({ status: "fulfilled", value: 20 });
    expect(results[2]).toEqual({ status: "fulfilled", value: 40 });
  });

  it("fails a whole batch, without writing its writes again, when the database is unavailable", async () => {
    const { writes, statements } = controlledWriter();
    const first = writes.write(1);
    const rest = [2, 3].map((item) => writes.write(item));
    statements[0]!.finish();
    await first;
    await settled();
    statements[1]!.finish(new DatabaseDeadlineError("The database did not answer within 5000 ms"));
    const results = await Promise.allSettled(rest);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(statements).toHaveLength(2);
  });

  it("lets the writes behind a stalled statement go out without it", async () => {
    const { writes, statements } = controlledWriter({ stallMs: 20 });
    const stalled = writes.write(1);
    const behind = [2, 3].map((item) => writes.write(item));
    expect(statements).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(statements.map((s) => s.items)).toEqual([[1], [2, 3]]);
    statements[1]!.finish();
    expect(await Promise.all(behind)).toEqual([20, 30]);
    statements[0]!.finish();
    expect(await stalled).toBe(10);
    // Both gave their places back once, not twice: one statement in flight again holds the next.
    const next = [4, 5].map((item) => writes.write(item));
    expect(statements.map((s) => s.items).slice(2)).toEqual([[4]]);
    statements[2]!.finish();
    await settled();
    statements[3]!.finish();
    expect(await Promise.all(next)).toEqual([40, 50]);
  });

  it("goes on writing after a failed write", async () => {
    const { writes, statements } = controlledWriter();
    const failed = writes.write(1);
    statements[0]!.finish(new Error("boom"));
    await expect(failed).rejects.toThrow("boom");
    const next = writes.write(2);
    statements[1]!.finish();
    expect(await next).toBe(20);
  });
});
