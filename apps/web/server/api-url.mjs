// Where the API is: API_URL, else http://127.0.0.1:API_PORT (4000), without a trailing slash.
// Plain JavaScript: server.mjs (its fast reads) and src/lib/env.server.ts both resolve it here.
export function resolveApiUrl({ API_URL, API_PORT }) {
  return (API_URL || `http://127.0.0.1:${API_PORT || 4000}`).replace(/\/+$/, "");
}
