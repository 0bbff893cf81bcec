// How long a hashing thread may stay idle before the API stops it (src/auth/passwords.ts); the
// bench waits this long after a sign-in flood, so that its next list runs on the list load alone.
// A new thread starts in ~30 ms.
export const HASH_THREAD_IDLE_MS = 5_000;
