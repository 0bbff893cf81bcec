import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { rowsOf } from "../../src/db/rows.ts";
import { onPostgres, PASSWORD, uniqueEmail } from "../helpers/app.ts";
import { runToExit, type ServerProcess, startServer } from "../helpers/process.ts";

// The embedded database's DATA_DIR going read-only under a running API — what a disk error does to
// an ext4 mounted errors=remount-ro. A small ext4 image of the test's own on a loop device (root
// only; elsewhere the test says it is skipped); the kernel's ext4 error trigger makes it read-only
// while PGlite holds its files open, which a plain `mount -o remount,ro` refuses to do.
let image = "";
let mountPoint = "";
let device = "";
if (!onPostgres) {
  mountPoint = mkdtempSync(join(tmpdir(), "taskvault-ro-"));
  image = `${mountPoint}.img`;
  try {
    execFileSync("truncate", ["-s", "96M", image]);
    execFileSync("mkfs.ext4", ["-q", image]);
    device = execFileSync("losetup", ["-f", "--show", image]).toString().trim();
    execFileSync("mount", ["-o", "errors=remount-ro", device, mountPoint]);
  } catch {
    if (device) execFileSync("losetup", ["-d", device]);
    device = "";
    console.warn("\n[taskvault] read-only DATA_DIR test SKIPPED: cannot mount an ext4 loop device here (needs root)\n");
  }
}
const dataDir = join(mountPoint, "data");

describe.skipIf(!device)("the embedded database on a DATA_DIR that goes read-only", () => {
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    server = await startServer({
      DATA_DIR: dataDir,
      AUTH_KEY_SECRET: randomBytes(32).toString("base64"),
      AUTH_RATE_LIMIT: "off",
    });
  }, 90_000);
  afterAll(async () => {
    await server?.stop("SIGKILL");
    try {
      execFileSync("umount", [mountPoint]);
    } catch {
      execFileSync("umount", ["-l", mountPoint]);
    }
    execFileSync("losetup", ["-d", device]);
    rmSync(image, { force: true });
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it("answers 503 with Retry-After and logs why once, stays up, and keeps what it acknowledged", async () => {
    const { url } = server!;
    const signedUp = await fetch(`${url}/api/v1/auth/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: uniqueEmail(), password: PASSWORD, name: "Read Only" }),
    });
    expect(signedUp.status).toBe(201);
    const { accessToken } = (await signedUp.json()) as { accessToken: string };
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${url}${path}`, {
        method,
        headers: { authorization: `Bearer ${accessToken}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(10_000),
      });
    const acknowledged: string[] = [];
    for (let index = 0; index < 5; index++) {
      const created = await call("POST", "/api/v1/todos", { title: `acknowledged ${index}` });
      expect(created.status).toBe(201);
      acknowledged.push(`acknowledged ${index}`);
    }

    // PGlite never fsyncs (it runs PostgreSQL with fsync off, and its file system cannot sync:
    // pglite#1107), so what it wrote reaches the disk with the kernel's write-back, within seconds.
    // A disk error sooner, like a power loss, loses those seconds: decision 017 says so. The test
    // does the write-back now rather than waiting for it.
    execFileSync("sync");
    writeFileSync(`/sys/fs/ext4/${basename(device)}/trigger_fs_error`, "1");

    const started = performance.now();
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 10; attempt++) {
      for (const response of [
        await call("POST", "/api/v1/todos", { title: `on a read-only disk ${attempt}` }),
        await call("GET", "/api/v1/todos"),
      ]) {
        statuses.push(response.status);
        if (response.status === 503) {
          expect(response.headers.get("retry-after")).toBe("1");
          const problem = (await response.json()) as { code: string; detail: string };
          expect(problem.code).toBe("service_unavailable");
          expect(problem.detail).not.toMatch(/read-only|log file/i);
        } else {
          await response.body?.cancel();
        }
      }
    }
    const slowest = performance.now() - started;
    const ready = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
    console.log(
      `[faults] read-only DATA_DIR: 20 requests answered ${[...new Set(statuses)].join(", ")} in ${Math.round(slowest)} ms; /readyz ${ready.status}`,
    );
    expect(statuses).toContain(503);
    expect(statuses.every((status) => status === 201 || status === 200 || status === 503)).toBe(true);
    expect(ready.status).toBe(503);
    expect(server!.child.exitCode).toBeNull();
    const output = server!.output();
    expect(output.match(/can no longer write/g)).toHaveLength(1);
    expect(output).toMatch(/restarted with a writable DATA_DIR/);

    // Started again on the read-only disk, it refuses to start and names the directory.
    await server!.stop("SIGKILL");
    server = undefined;
    const refused = await runToExit("server.js", {
      DATA_DIR: dataDir,
      AUTH_KEY_SECRET: randomBytes(32).toString("base64"),
    });
    expect(refused.code).not.toBe(0);
    expect(refused.output).toContain(`DATA_DIR ${dataDir} is not writable (EROFS)`);

    // The operator repairs the disk and restarts: everything acknowledged is there.
    execFileSync("umount", [mountPoint]);
    try {
      execFileSync("e2fsck", ["-fy", device], { stdio: "ignore" });
    } catch {
      // e2fsck exits 1 when it fixed something: the error flag the trigger set.
    }
    execFileSync("mount", [device, mountPoint]);
    const reopened = await openDatabase({ dataDir });
    try {
      const rows = rowsOf<{ title: string }>(await reopened.db.execute("select title from todos"));
      const titles = rows.map((row) => row.title);
      for (const title of acknowledged) expect(titles).toContain(title);
    } finally {
      await reopened.close();
    }
  }, 120_000);
});
