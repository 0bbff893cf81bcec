// The V8 flags the API server runs with; `npm start`, the bench and the deployment guide pass them.
// Under list load V8's default young generation was a large share of the process's memory;
// smaller semi-spaces keep its resident size down at no measurable cost in throughput (figures:
// docs/decisions/008-api-memory.md). Node also accepts it in NODE_OPTIONS.
/** @type {string[]} */
export const API_NODE_FLAGS = ["--max-semi-space-size=8"];
