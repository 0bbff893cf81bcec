// Bundles the API (and the contract package's TypeScript) into dist/; npm packages stay external.
import { build } from "esbuild";

await build({
  // The hashing thread is loaded by path (new URL("./hash-thread.js", import.meta.url)), so it is an
  // entry point of its own, next to server.js.
  entryPoints: ["src/server.ts", "src/rotate-keys.ts", { in: "src/auth/hash-thread.js", out: "hash-thread" }],
  outdir: "dist",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  sourcemap: true,
  packages: "external",
  // The contract ships TypeScript source, so it is bundled rather than imported at run time.
  alias: { "@taskvault/contract": "../../packages/contract/src" },
  logLevel: "warning",
});
