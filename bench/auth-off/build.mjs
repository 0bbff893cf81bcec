// Builds the API twice for the bench: as shipped (apps/api/build.mjs → apps/api/dist/server.js) and
// an "auth off" variant (apps/api/dist/bench/server-auth-off.js) that is the same bundle with the
// authenticate plugin swapped for ./authenticate.mjs. Nothing in apps/api/src knows about it.
// It also bundles the baseline (apps/api/dist/bench/baseline-server.js), which imports the API's
// PGlite statement cache from TypeScript.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const apiDir = fileURLToPath(new URL("../../apps/api/", import.meta.url));
const stub = fileURLToPath(new URL("./authenticate.mjs", import.meta.url));
const baseline = fileURLToPath(new URL("../baseline-server.mjs", import.meta.url));

const bundle = {
  absWorkingDir: apiDir,
  outdir: "dist/bench",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  packages: "external",
  alias: { "@taskvault/contract": "../../packages/contract/src" },
  logLevel: "warning",
};

export async function buildApi() {
  execFileSync(process.execPath, ["build.mjs"], { cwd: apiDir, stdio: "inherit" });
  await build({ ...bundle, entryPoints: { "baseline-server": baseline } });
  await build({
    ...bundle,
    entryPoints: { "server-auth-off": "src/server.ts" },
    plugins: [
      {
        name: "auth-off",
        setup(b) {
          b.onResolve({ filter: /plugins\/authenticate(\.ts)?$/ }, () => ({ path: stub }));
        },
      },
    ],
  });
  return {
    api: `${apiDir}dist/server.js`,
    apiAuthOff: `${apiDir}dist/bench/server-auth-off.js`,
    baseline: `${apiDir}dist/bench/baseline-server.js`,
  };
}
