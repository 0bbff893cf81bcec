import { availableParallelism } from "node:os";
import { type Algorithm, hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";
import { AppError } from "../errors.ts";

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

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Verifies against the hash, or against a dummy hash when there is no user, in the same time. */
  verify(hash: string | null, password: string): Promise<boolean>;
  isCommon(password: string): boolean;
}

/**
 * Argon2 runs on libuv's thread pool (off the event loop). A semaphore bounds how many run at
 * once, so a flood of sign-ins queues here instead of starving the pool and the CPU that every
 * other request needs.
 */
export function createPasswordHasher(concurrency = Math.max(1, availableParallelism() - 1)): PasswordHasher {
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

  let dummyHash: Promise<string> | undefined;
  const getDummyHash = () => {
    dummyHash ??= hash("taskvault-dummy-password", ARGON2_OPTIONS);
    return dummyHash;
  };

  return {
    hash: (password) => withSlot(() => hash(password, ARGON2_OPTIONS)),
    async verify(passwordHash, password) {
      // Spend the same Argon2 time on unknown emails so timing reveals nothing.
      const target = passwordHash ?? (await getDummyHash());
      const matches = await withSlot(() => verify(target, password).catch(() => false));
      return passwordHash !== null && matches;
    },
    isCommon: isCommonPassword,
  };
}

let commonPasswords: Set<string> | undefined;

/** The zxcvbn-ts common-password dictionary (~49k entries), compared case-insensitively. */
export function isCommonPassword(password: string): boolean {
  commonPasswords ??= new Set(dictionary["passwords-common"] as string[]);
  return commonPasswords.has(password.toLowerCase());
}
