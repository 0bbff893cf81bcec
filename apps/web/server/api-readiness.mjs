// Whether the API can serve yet. `npm start` starts the API and the web server together, and on a
// fresh data directory the API needs seconds (migrations, keys) after the web port already
// answers: a sign-up in that window would get "The Taskvault API cannot be reached". Until the
// API has answered its /readyz once, requests wait for it (bounded: they never reached the API,
// so holding them is safe), and the web server's own /readyz says 503.
import { callApiWhole } from "./api-call.mjs";
import { createApiAgents } from "./api-url.mjs";

const POLL_MS = 200;
/** A readiness probe must answer fast, whatever the API does. */
const PROBE_TIMEOUT_MS = 1_000;

/**
 * @param {string} apiUrl
 * @param {{ waitLimitMs?: number }} [options] How long a request may wait for the API's first readiness.
 */
export function createApiReadiness(apiUrl, { waitLimitMs = 30_000 } = {}) {
  const agents = createApiAgents();
  let hasBeenReady = false;
  /** @type {Promise<boolean> | null} */
  let firstReadiness = null;

  /** One look at the API's /readyz: true when it answers 200 within a second. */
  async function probe() {
    const signal = AbortSignal.timeout(PROBE_TIMEOUT_MS);
    const answer = await callApiWhole(new URL(`${apiUrl}/readyz`), { headers: {}, agents, signal }).catch(() => null);
    return answer?.status === 200;
  }

  /** Resolves true once the API has been ready (at once after the first time), false after the limit. */
  function untilReady() {
    if (hasBeenReady) return Promise.resolve(true);
    firstReadiness ??= (async () => {
      const deadline = performance.now() + waitLimitMs;
      while (performance.now() < deadline) {
        if (await probe()) {
          hasBeenReady = true;
          return true;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      firstReadiness = null;
      return false;
    })();
    return firstReadiness;
  }

  return { untilReady, probe, hasBeenReady: () => hasBeenReady };
}
