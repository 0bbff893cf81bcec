import { isDatabaseUnavailable } from "./availability.ts";

export interface BatchedWrites<I, O> {
  /** Writes `item`, alone or with the others waiting at the time; settles with its own result. */
  write(item: I): Promise<O>;
  /** Statements sent so far and the items they carried: how the tests see batches form. */
  readonly sent: { statements: number; items: number };
}

export interface BatchOptions<I, O> {
  /** One statement for several items: their results, in the same order. */
  many(items: I[]): Promise<O[]>;
  /** One item alone: what a lone item takes, and each item of a batch that failed. */
  one(item: I): Promise<O>;
  /** Items per statement at most. */
  maxBatch: number;
  /** Statements in flight at once; the items arriving meanwhile wait for the next. */
  maxInFlight: number;
  /**
   * A statement that has not answered after this long (waiting on a row lock, say) gives up its
   * place in flight, so the writes behind it go out without it instead of waiting with it.
   */
  stallMs: number;
}

interface Waiting<I, O> {
  item: I;
  resolve(result: O): void;
  reject(error: unknown): void;
}

/**
 * Group commit for one kind of write (decision 027). A write goes out at once while fewer than
 * `maxInFlight` statements are under way, so a quiet server adds no wait; under load the writes
 * that arrive while the database works go out together in the next statement, one parse, plan,
 * round trip and commit for all of them. If a batch fails for something one of its items did (a
 * constraint, bad data, a deadlock), each item is written alone, so only that item fails; if the
 * database is unavailable, the batch fails as a whole, as each write alone would have. A statement
 * that stalls stops holding back the writes that arrive after it (`stallMs`).
 */
export function batchWrites<I, O>(options: BatchOptions<I, O>): BatchedWrites<I, O> {
  const queue: Waiting<I, O>[] = [];
  const sent = { statements: 0, items: 0 };
  let inFlight = 0;

  async function writeAlone(waiting: Waiting<I, O>) {
    sent.statements++;
    sent.items++;
    try {
      waiting.resolve(await options.one(waiting.item));
    } catch (error) {
      waiting.reject(error);
    }
  }

  async function writeTogether(batch: Waiting<I, O>[]) {
    sent.statements++;
    sent.items += batch.length;
    try {
      const results = await options.many(batch.map((waiting) => waiting.item));
      for (const [index, waiting] of batch.entries()) waiting.resolve(results[index] as O);
    } catch (error) {
      if (isDatabaseUnavailable(error)) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      await Promise.all(batch.map(writeAlone));
    }
  }

  function sendNext() {
    while (inFlight < options.maxInFlight && queue.length > 0) {
      const batch = queue.splice(0, options.maxBatch);
      inFlight++;
      let holdsPlace = true;
      const givePlace = () => {
        if (!holdsPlace) return;
        holdsPlace = false;
        inFlight--;
        sendNext();
      };
      const stalled = setTimeout(givePlace, options.stallMs);
      const written = batch.length === 1 ? writeAlone(batch[0] as Waiting<I, O>) : writeTogether(batch);
      void written.finally(() => {
        clearTimeout(stalled);
        givePlace();
      });
    }
  }

  return {
    sent,
    write: (item) =>
      new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        sendNext();
      }),
  };
}
