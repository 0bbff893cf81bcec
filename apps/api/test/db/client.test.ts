import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { EMBEDDED_SHARED_BUFFERS } from "../../embedded-database.mjs";
import { openDatabase } from "../../src/db/client.ts";

describe("the embedded database", () => {
  it("keeps a 32 MB buffer pool in memory and on disk alike, not PGlite's 128 MB", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "taskvault-buffers-"));
    for (const options of [{}, { dataDir }]) {
      const database = await openDatabase(options);
      try {
        const result = (await database.db.execute(sql`show shared_buffers`)) as unknown as {
          rows: { shared_buffers: string }[];
        };
        expect(result.rows[0]?.shared_buffers).toBe(EMBEDDED_SHARED_BUFFERS);
      } finally {
        await database.close();
      }
    }
    rmSync(dataDir, { recursive: true, force: true });
  });
});
