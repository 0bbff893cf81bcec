// The V8 flags the API server runs with; `npm start`, the bench and the deployment guide pass them.
// Under list load a young generation of V8's default 2 × 16 MB was a fifth of the process's
// memory; 8 MB semi-spaces keep its resident size ≤ 150 MB at no measurable cost in throughput
// (docs/benchmarks.md). Node also accepts it in NODE_OPTIONS.
/** @type {string[]} */
export const API_NODE_FLAGS = ["--max-semi-space-size=8"];
