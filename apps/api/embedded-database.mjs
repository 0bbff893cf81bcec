// How the embedded database (PGlite) is started; the API (src/db/client.ts) and the bench's bare
// baseline (bench/baseline-server.mjs) both use it, so the two run the same database.
//
// PGlite's default buffer pool lives in its WebAssembly memory and became resident under load; a
// quarter of it served lists as fast, with the operating system's file cache behind it, and the
// server used much less memory (figures: docs/benchmarks.md, "memory").
/** @type {string} */
export const EMBEDDED_SHARED_BUFFERS = "32MB";

/**
 * PGlite's own start parameters plus ours.
 * @param {readonly string[]} defaultStartParams
 * @returns {string[]}
 */
export function embeddedStartParams(defaultStartParams) {
  return [...defaultStartParams, "-c", `shared_buffers=${EMBEDDED_SHARED_BUFFERS}`];
}
