/**
 * Runs one task per key at a time and lets callers that arrive while it runs — or shortly after it
 * succeeded — share its result. Used for token refresh: a page render fires several requests at
 * once, and each would otherwise spend the same refresh token.
 */
export type SingleFlightOptions = {
  /** How long a successful result stays shareable after it settles. */
  keepMs: number;
  now?: () => number;
};

type Entry<T> = { promise: Promise<T>; settledAt: number | null };

export function createSingleFlight<T>({ keepMs, now = Date.now }: SingleFlightOptions) {
  const entries = new Map<string, Entry<T>>();

  function sweep(at: number) {
    for (const [key, entry] of entries) {
      if (entry.settledAt !== null && at - entry.settledAt > keepMs) entries.delete(key);
    }
  }

  return {
    /** `isShareable` decides whether a settled result may be reused; failures usually are not. */
    run(key: string, task: () => Promise<T>, isShareable: (result: T) => boolean = () => true): Promise<T> {
      sweep(now());
      const existing = entries.get(key);
      if (existing) return existing.promise;
      const entry: Entry<T> = {
        settledAt: null,
        // Wrapped so a task that throws synchronously still rejects the shared promise.
        promise: new Promise<T>((resolve) => resolve(task())).then(
          (result) => {
            if (isShareable(result)) entry.settledAt = now();
            else entries.delete(key);
            return result;
          },
          (error: unknown) => {
            entries.delete(key);
            throw error;
          },
        ),
      };
      entries.set(key, entry);
      return entry.promise;
    },
    get size() {
      return entries.size;
    },
  };
}
