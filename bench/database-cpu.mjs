// Database CPU per request: the CPU time (user + system, from /proc) of the PostgreSQL backends
// serving the bench's databases. Only possible when PostgreSQL runs on this machine and its
// processes' /proc entries are readable; otherwise every figure is null ("–" in the report).
// WAL writer, checkpointer and other shared background processes are left out: they serve every
// database of the server, the other engineers' test databases included.
import { readFileSync } from "node:fs";
import { adminUrl } from "./fixtures.mjs";
import { cpuSeconds } from "./processes.mjs";

const LOCAL_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

/**
 * Opens a sampler for the backends of `databases` (names). `sample()` returns their CPU seconds by
 * pid; `since(before)` the CPU seconds used since that sample, counting a backend that appeared in
 * between from zero (it started during the run).
 */
export async function openDatabaseCpu() {
  if (!LOCAL_HOSTS.has(new URL(adminUrl).hostname)) return null;
  const { default: postgres } = await import("postgres");
  // Its own backend is on the admin database, never one of the measured ones.
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const probe = await sql`select pg_backend_pid() as pid`;
  try {
    readFileSync(`/proc/${probe[0].pid}/stat`);
  } catch {
    await sql.end();
    return null;
  }
  return {
    async sample(databases) {
      const rows = await sql`select pid from pg_stat_activity where datname = any(${databases})`;
      const byPid = new Map();
      for (const { pid } of rows) {
        const seconds = cpuSeconds(pid);
        if (seconds !== null) byPid.set(pid, seconds);
      }
      return byPid;
    },
    async since(databases, before) {
      const after = await this.sample(databases);
      let used = 0;
      for (const [pid, seconds] of after) used += seconds - (before.get(pid) ?? 0);
      return used;
    },
    close: () => sql.end(),
  };
}
