// Bundles the API (and the contract package's TypeScript) into dist/; npm packages stay external.
import { build } from "esbuild";

await build({
  entryPoints: ["src/server.ts", "src/rotate-keys.ts"],
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
