import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { WEB_NODE_FLAGS } from "../../node-flags.mjs";

describe("the web server's V8 flags", () => {
  test("`npm start -w @taskvault/web` passes the same flags as the root `npm start`, the e2e stack and the bench", () => {
    const { scripts } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    expect(scripts.start).toBe(`node ${WEB_NODE_FLAGS.join(" ")} server.mjs`);
  });
});
