// The V8 flags the production web server runs with; `npm start`, the e2e stack and the bench pass them.
// With V8's default young generation (2 × 16 MB) the old generation's headroom after a full
// collection (~24 MB over Next's ~22 MB live heap) is smaller than the young generation, so V8
// began incremental marking again as soon as it could: a full collection every 0.7 s at 200 req/s,
// each stalling requests for 20–35 ms (the BFF's p99). With 4 MB semi-spaces marking started
// 9 times instead of 84–90 in the same 20 s run (docs/decisions/013-bff-fast-reads.md).
/** @type {string[]} */
export const WEB_NODE_FLAGS = ["--max-semi-space-size=4"];
