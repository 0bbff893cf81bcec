import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { as, buildTestApp, onPostgres, signUp, type TestApp } from "../helpers/app.ts";

// The embedded database on a disk that fills up: a small tmpfs of the test's own (root only;
// elsewhere the test says it is skipped). Nothing acknowledged is lost, requests get a clean 503,
// and writes work again once there is room (decision 017).
let mountPoint = "";
let mounted = false;
if (!onPostgres) {
  mountPoint = mkdtempSync(join(tmpdir(), "taskvault-disk-"));
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64m", "tmpfs", mountPoint], { stdio: "ignore" });
    mounted = true;
  } catch {
    console.warn("\n[taskvault] disk-full test SKIPPED: cannot mount a tmpfs here (needs root)\n");
  }
}
const filler = join(mountPoint, "filler");

describe.skipIf(!mounted)("the embedded database on a full disk", () => {
  let t: TestApp;

  beforeAll(async () => {
    const handle = await openDatabase({ dataDir: join(mountPoint, "data") });
    t = await buildTestApp({}, { handle, url: undefined, drop: () => handle.close() });
  });
  afterAll(async () => {
    await t?.close();
    await t?.database.drop();
    if (mounted) execFileSync("umount", [mountPoint]);
    if (mountPoint) rmSync(mountPoint, { recursive: true, force: true });
  });

  it("answers 503 with Retry-After while the disk is full, keeps what it acknowledged, and writes again after", async () => {
    const session = await signUp(t.app);
    const request = as(t.app, session);
    const kept = await request({ method: "POST", url: "/api/v1/todos", payload: { title: "acknowledged" } });
    expect(kept.statusCode).toBe(201);

    // Take every byte left on the disk.
    try {
      execFileSync("dd", ["if=/dev/zero", `of=${filler}`, "bs=1M", "count=200"], { stdio: "ignore" });
    } catch {
      // dd stops with "No space left on device": the disk is full, as intended.
    }
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      const response = await request({
        method: "POST",
        url: "/api/v1/todos",
        payload: { title: `on a full disk ${attempt}`, description: "x".repeat(4_000) },
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 503) {
        expect(response.headers["retry-after"]).toBe("1");
        expect(response.json()).toMatchObject({ code: "service_unavailable" });
        expect(response.body).not.toMatch(/extend file|No space/i);
      }
    }
    console.log(`[faults] full disk: creates answered ${[...new Set(statuses)].join(", ")}`);
    expect(statuses).toContain(503);
    expect(statuses.every((status) => status === 201 || status === 503)).toBe(true);

    rmSync(filler);
    const after = await request({ method: "POST", url: "/api/v1/todos", payload: { title: "after" } });
    expect(after.statusCode).toBe(201);
    const titles = (await request({ method: "GET", url: "/api/v1/todos?limit=200" }))
      .json()
      .items.map((todo: { title: string }) => todo.title);
    expect(titles).toContain("acknowledged");
    expect(titles).toContain("after");
    const created = statuses.filter((status) => status === 201).length;
    expect(titles.filter((title: string) => title.startsWith("on a full disk"))).toHaveLength(created);
  }, 60_000);
});
