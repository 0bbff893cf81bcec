import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Algorithm } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";
import { AppError } from "../errors.ts";

/**
 * How long a hashing thread may stay idle before it is stopped: a flood's threads do not linger,
 * and a new one starts in ~30 ms (decision 014). The bench sees it from outside (thread count).
 */
const HASH_THREAD_IDLE_MS = 5_000;

// OWASP's Argon2id recommendation, set explicitly: the library's defaults are weaker.
const ARGON2_OPTIONS = {
  // Algorithm.Argon2id; a const enum, which isolated modules cannot read.
  algorithm: 2 as Algorithm,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** How many hashes may wait for a slot before new ones are turned away. */
const MAX_WAITING = 256;

/**
 * The niceness of hashing threads: 19, the lowest priority. Against request-serving threads at 0
 * the scheduler gives them a small share of a contended core (weight 15 against 1,024) and all of
 * an idle one, so sign-ins use the CPU that requests leave (decision 014).
 */
const HASHING_NICENESS = 19;
const HASH_THREAD = new URL("./hash-thread.js", import.meta.url);

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Verifies against the hash, or against a dummy hash when there is no user, in the same time. */
  verify(hash: string | null, password: string): Promise<boolean>;
  isCommon(password: string): boolean;
  /** Stops the hashing threads. */
  close(): Promise<void>;
}

/**
 * Argon2 runs off the event loop, on hashing threads of lower CPU priority, so that a flood of
 * sign-ins cannot take the CPU that signed-in users' requests need. A semaphore bounds how many
 * run at once (one thread each), and a flood queues here.
 */
export function createPasswordHasher(
  concurrency = Math.max(1, availableParallelism() - 1),
  { idleThreadMs = HASH_THREAD_IDLE_MS } = {},
): PasswordHasher {
  let running = 0;
  const waiting: (() => void)[] = [];

  async function withSlot<T>(work: () => Promise<T>): Promise<T> {
    if (running >= concurrency) {
      if (waiting.length >= MAX_WAITING) {
        throw new AppError("service_unavailable", "Too many sign-ins at once; try again shortly", {
          headers: { "retry-after": "1" },
        });
      }
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  }

  const threads = createHashThreads(idleThreadMs);
  const hash = (password: string) =>
    withSlot(() => threads.run({ kind: "hash", password, options: ARGON2_OPTIONS })) as Promise<string>;
  let dummyHash: Promise<string> | undefined;
  const getDummyHash = () => {
    dummyHash ??= hash("taskvault-dummy-password");
    return dummyHash;
  };

  return {
    hash,
    async verify(passwordHash, password) {
      // Spend the same Argon2 time on unknown emails so timing reveals nothing.
      const target = passwordHash ?? (await getDummyHash());
      const matches = await withSlot(() =>
        (threads.run({ kind: "verify", hash: target, password }) as Promise<boolean>).catch(() => false),
      );
      return passwordHash !== null && matches;
    },
    isCommon: isCommonPassword,
    close: threads.close,
  };
}

type HashJob =
  | { kind: "hash"; password: string; options: typeof ARGON2_OPTIONS }
  | { kind: "verify"; hash: string; password: string };
type Pending = { worker: Worker; resolve(result: unknown): void; reject(error: Error): void };

/**
 * Worker threads running src/auth/hash-thread.js, started on first use and reused; the caller's
 * semaphore keeps at most one job on each. A thread that dies fails its job and is replaced.
 */
function createHashThreads(idleThreadMs: number) {
  const idle: Worker[] = [];
  const pending = new Map<number, Pending>();
  const running = new Set<Worker>();
  let nextId = 0;

  function start(): Worker {
    const worker = new Worker(HASH_THREAD, { workerData: { niceness: HASHING_NICENESS } });
    // Idle hashing threads must not keep the process alive.
    worker.unref();
    running.add(worker);
    let idleTimer: NodeJS.Timeout | undefined;
    worker.on("message", ({ id, result, error }: { id: number; result?: unknown; error?: string }) => {
      const job = pending.get(id);
      pending.delete(id);
      idle.push(worker);
      // A thread left idle is stopped, and its memory (its own V8 heap, Argon2's 19 MB blocks) with it.
      clearTimeout(idleTimer);
      idleTimer = setTimeout(() => {
        const index = idle.indexOf(worker);
        if (index === -1) return;
        // Out of the idle list first, so that no job is handed to a thread on its way out.
        idle.splice(index, 1);
        void worker.terminate();
      }, idleThreadMs).unref();
      if (error !== undefined) job?.reject(new Error(error));
      else job?.resolve(result);
    });
    const retire = (error: Error) => {
      running.delete(worker);
      const index = idle.indexOf(worker);
      if (index !== -1) idle.splice(index, 1);
      for (const [id, job] of pending) {
        if (job.worker !== worker) continue;
        pending.delete(id);
        job.reject(error);
      }
    };
    worker.on("error", retire);
    worker.on("exit", (code) => retire(new Error(`The hashing thread stopped (exit code ${code})`)));
    return worker;
  }

  return {
    run(job: HashJob): Promise<unknown> {
      const worker = idle.pop() ?? start();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { worker, resolve, reject });
        worker.postMessage({ id, ...job });
      });
    },
    async close() {
      await Promise.all([...running].map((worker) => worker.terminate()));
    },
  };
}

let commonPasswords: Set<string> | undefined;

/** The zxcvbn-ts common-password dictionary (~49k entries), compared case-insensitively. */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(dictionary["passwords-common"] as string[]);
  return commonPasswords.has(password.toLowerCase());
}
