import LocalStore from "@fastify/rate-limit/store/LocalStore.js";
import RedisStore from "@fastify/rate-limit/store/RedisStore.js";
import type { Redis } from "ioredis";

/** While Redis is away every request counts this many times: the instance's own count is stricter. */
const FALLBACK_WEIGHT = 2;
/** After Redis failed a command, it is not asked again for this long: a hung Redis costs one timeout. */
const SKIP_REDIS_MS = 1_000;

type Counted = { current: number; ttl: number };
type Callback = (error: Error | null, result?: Counted) => void;
interface Store {
  incr(key: string, callback: Callback, timeWindow: number, max: number): void;
  read(key: string, callback: Callback, timeWindow: number, max: number): void;
  child(routeOptions: object): Store;
}
interface StoreParams {
  continueExceeding?: boolean;
  exponentialBackoff?: boolean;
}

/**
 * @fastify/rate-limit's store for several instances: counters in Redis, shared by all; while Redis
 * cannot answer, in this instance's memory, each request counting double, so the throttles get
 * stricter rather than switching off (decision 017). `onFallback` hears of each fallback.
 */
export function sharedThrottleStore(redis: Redis, nameSpace: string, cacheSize: number, onFallback: () => void) {
  let skipRedisUntil = 0;
  const failed = () => {
    skipRedisUntil = performance.now() + SKIP_REDIS_MS;
    onFallback();
  };
  const counted =
    (callback: Callback): Callback =>
    (error, result) =>
      callback(error, result && { ...result, current: result.current * FALLBACK_WEIGHT });

  class SharedThrottleStore implements Store {
    constructor(
      params: StoreParams,
      private readonly shared: Store = new RedisStore(
        params.continueExceeding,
        params.exponentialBackoff,
        redis,
        nameSpace,
      ),
      private readonly local: Store = new LocalStore(params.continueExceeding, params.exponentialBackoff, cacheSize),
    ) {}

    incr(key: string, callback: Callback, timeWindow: number, max: number) {
      this.either("incr", key, callback, timeWindow, max);
    }

    read(key: string, callback: Callback, timeWindow: number, max: number) {
      this.either("read", key, callback, timeWindow, max);
    }

    private either(method: "incr" | "read", key: string, callback: Callback, timeWindow: number, max: number) {
      const inMemory = () => this.local[method](key, counted(callback), timeWindow, max);
      if (performance.now() < skipRedisUntil) return inMemory();
      this.shared[method](
        key,
        (error, result) => {
          if (!error) return callback(null, result);
          failed();
          inMemory();
        },
        timeWindow,
        max,
      );
    }

    child(routeOptions: object): Store {
      return new SharedThrottleStore(
        routeOptions as StoreParams,
        this.shared.child(routeOptions),
        this.local.child({ ...routeOptions, cache: cacheSize }),
      );
    }
  }
  return SharedThrottleStore;
}
