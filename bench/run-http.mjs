// Bundles bench/http.ts (it imports the TypeScript packages) next to itself, so its relative
// imports of ../infra still resolve, and runs it.
import { spawnSync } from "node:child_process";
import { build } from "esbuild";

const outfile = new URL("./.http.bundle.mjs", import.meta.url).pathname;
await build({
  entryPoints: [new URL("./http.ts", import.meta.url).pathname],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile,
  external: ["miniflare", "wrangler", "autocannon", "onnxruntime-node", "onnxruntime-web", "../infra/local.mjs"],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
});
const result = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(result.status ?? 1);
