import { describe, expect, test } from "vitest";
import { createSingleFlight } from "@/lib/single-flight.ts";

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe("single-flight refresh", () => {
  test("callers that arrive together share one run", async () => {
    const flights = createSingleFlight<string>({ keepMs: 1000 });
    const gate = deferred<string>();
    let runs = 0;
    const task = () => {
      runs++;
      return gate.promise;
    };
    const results = Promise.all(Array.from({ length: 20 }, () => flights.run("session", task)));
    gate.resolve("new tokens");
    expect(await results).toEqual(Array(20).fill("new tokens"));
    expect(runs).toBe(1);
  });

  test("a caller arriving shortly after success gets the same result", async () => {
    let clock = 0;
    const flights = createSingleFlight<number>({ keepMs: 8000, now: () => clock });
    let runs = 0;
    const task = async () => ++runs;
    expect(await flights.run("session", task)).toBe(1);
    clock = 7000;
    expect(await flights.run("session", task)).toBe(1);
    clock = 16_000;
    expect(await flights.run("session", task)).toBe(2);
  });

  test("different sessions refresh independently", async () => {
    const flights = createSingleFlight<string>({ keepMs: 1000 });
    const [a, b] = await Promise.all([flights.run("a", async () => "A"), flights.run("b", async () => "B")]);
    expect([a, b]).toEqual(["A", "B"]);
  });

  test("a failure is not remembered: the next caller tries again", async () => {
    const flights = createSingleFlight<string>({ keepMs: 1000 });
    await expect(
      flights.run("s", async () => {
        throw new Error("API down");
      }),
    ).rejects.toThrow("API down");
    expect(await flights.run("s", async () => "ok")).toBe("ok");
  });

  test("a result judged not shareable is dropped once settled", async () => {
    const flights = createSingleFlight<string>({ keepMs: 1000 });
    expect(
      await flights.run(
        "s",
        async () => "rejected",
        (result) => result !== "rejected",
      ),
    ).toBe("rejected");
    expect(flights.size).toBe(0);
  });

  test("a task that throws synchronously still rejects every waiter", async () => {
    const flights = createSingleFlight<string>({ keepMs: 1000 });
    const boom = () => {
      throw new Error("sync");
    };
    await expect(flights.run("s", boom)).rejects.toThrow("sync");
    expect(flights.size).toBe(0);
  });
});
