// Builds the API twice for the bench: as shipped (apps/api/build.mjs → apps/api/dist/server.js) and
// an "auth off" variant (apps/api/dist/bench/server-auth-off.js) that is the same bundle with the
// authenticate plugin swapped for ./authenticate.mjs. Nothing in apps/api/src knows about it.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const apiDir = fileURLToPath(new URL("../../apps/api/", import.meta.url));
const stub = fileURLToPath(new URL("./authenticate.mjs", import.meta.url));

export async function buildApi() {
  execFileSync(process.execPath, ["build.mjs"], { cwd: apiDir, stdio: "inherit" });
  await build({
    absWorkingDir: apiDir,
    entryPoints: { "server-auth-off": "src/server.ts" },
    outdir: "dist/bench",
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    packages: "external",
    alias: { "@taskvault/contract": "../../packages/contract/src" },
    logLevel: "warning",
    plugins: [
      {
        name: "auth-off",
        setup(b) {
          b.onResolve({ filter: /plugins\/authenticate(\.ts)?$/ }, () => ({ path: stub }));
        },
      },
    ],
  });
  return { api: `${apiDir}dist/server.js`, apiAuthOff: `${apiDir}dist/bench/server-auth-off.js` };
}
