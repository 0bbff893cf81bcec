// A password-hashing thread (see src/auth/passwords.ts): Argon2 at a lower CPU priority than the
// threads that serve requests. Plain JavaScript, loaded by path both from src/ (tests) and from
// dist/ (esbuild copies it there as its own entry point).
import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { hashSync, verifySync } from "@node-rs/argon2";

/**
 * A job from passwords.ts: hash `password`, or verify it against `hash`.
 * @typedef {{ id: number, kind: "hash" | "verify", password: string, hash: string, options: import("@node-rs/argon2").Options }} HashJob
 */

// Only ever started as a worker, so there is a parent port.
const port = /** @type {import("node:worker_threads").MessagePort} */ (parentPort);

lowerOwnPriority(workerData.niceness);

port.on("message", (/** @type {HashJob} */ { id, kind, password, hash, options }) => {
  try {
    const result = kind === "hash" ? hashSync(password, options) : verifySync(hash, password);
    port.postMessage({ id, result });
  } catch (error) {
    port.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});

/**
 * On Linux /proc/thread-self names this very thread, and setpriority() on a thread id changes that
 * thread alone, so only hashing yields the CPU. Elsewhere the thread keeps the process's priority.
 * @param {number} niceness
 */
function lowerOwnPriority(niceness) {
  try {
    const threadId = Number(readlinkSync("/proc/thread-self").split("/").pop());
    if (Number.isInteger(threadId) && threadId > 0) setPriority(threadId, niceness);
  } catch {
    // Not Linux, or no /proc: hashing still runs off the event loop, at normal priority.
  }
}
