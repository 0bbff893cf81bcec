// @fastify/rate-limit's two stores, which its typings do not describe (throttle-store.ts wraps them).
declare module "@fastify/rate-limit/store/*.js" {
  type Counted = { current: number; ttl: number };
  type Callback = (error: Error | null, result?: Counted) => void;
  class Store {
    constructor(...args: unknown[]);
    incr(key: string, callback: Callback, timeWindow: number, max: number): void;
    read(key: string, callback: Callback, timeWindow: number, max: number): void;
    child(routeOptions: object): Store;
  }
  export default Store;
}
