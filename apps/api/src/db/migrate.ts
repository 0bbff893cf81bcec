import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { Database } from "./client.ts";
import { rowsOf } from "./rows.ts";

// Any constant works; it only has to be the same for every instance of the deployment.
const MIGRATION_LOCK_KEY = 727_001;

interface Journal {
  entries: { idx: number; tag: string }[];
}

/** apps/api, found by walking up, so the same code works from src/ and from the dist/ bundle. */
export function apiRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "drizzle", "meta", "_journal.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("Cannot find the drizzle migrations folder");
    dir = parent;
  }
  return dir;
}

/**
 * Applies the committed drizzle-kit migrations in order, each once. The whole run holds a
 * transaction-scoped advisory lock, so instances starting together apply them exactly once.
 */
export async function migrate(db: Database): Promise<string[]> {
  const folder = join(apiRoot(), "drizzle");
  const journal = JSON.parse(readFileSync(join(folder, "meta", "_journal.json"), "utf8")) as Journal;
  return db.transaction(async (tx) => {
    // Migrations (and waiting for another instance's) may take their time (decision 017).
    await tx.execute(sql`set local statement_timeout = 0`);
    await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    await tx.execute(sql`create table if not exists taskvault_migrations (
      tag text primary key, hash text not null, applied_at timestamptz not null default now())`);
    const applied = await tx.execute(sql`select tag from taskvault_migrations`);
    const done = new Set(rowsOf<{ tag: string }>(applied).map((row) => row.tag));
    const appliedNow: string[] = [];
    for (const { tag } of [...journal.entries].sort((a, b) => a.idx - b.idx)) {
      if (done.has(tag)) continue;
      const text = readFileSync(join(folder, `${tag}.sql`), "utf8");
      for (const statement of text.split("--> statement-breakpoint")) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      const hash = createHash("sha256").update(text).digest("hex");
      await tx.execute(sql`insert into taskvault_migrations (tag, hash) values (${tag}, ${hash})`);
      appliedNow.push(tag);
    }
    return appliedNow;
  });
}
