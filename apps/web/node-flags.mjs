// The V8 flags the production web server runs with; `npm start`, the e2e stack and the bench pass them.
// With V8's default young generation the old generation's headroom after a full collection is
// smaller than the young generation, so V8 began incremental marking again as soon as it could and
// each full collection stalled requests (the BFF's p99). Smaller semi-spaces end that (figures:
// docs/decisions/013-bff-fast-reads.md).
/** @type {string[]} */
export const WEB_NODE_FLAGS = ["--max-semi-space-size=4"];
