/**
 * Polls `check` every 5 ms until it holds and answers how long that took (ms), so that a test can
 * both wait for something that happens elsewhere (another instance, a stream) and report it.
 */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Math.round(performance.now() - started);
}
