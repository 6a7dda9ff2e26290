// npm run bench -w @edgeformers/engine: bundles bench.ts with esbuild (the engine is TypeScript
// source) and runs it in Node. BENCH_MERGE=1 keeps the best per cell over this and the saved run. onnxruntime-node / -web stay external (native addon, wasm files).
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, ".out");
mkdirSync(out, { recursive: true });
// --workerd: the engine against onnxruntime-web inside workerd (workerd-runner.ts).
const workerd = process.argv.includes("--workerd");
const entry = workerd ? "workerd-runner" : "bench";
await build({
  entryPoints: [join(here, `${entry}.ts`)],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: join(out, `${entry}.mjs`),
  external: ["onnxruntime-node", "onnxruntime-web", "onnxruntime-web/*", "miniflare"],
  logLevel: "warning",
});
const r = spawnSync(process.execPath, ["--expose-gc", join(out, `${entry}.mjs`)], {
  stdio: "inherit",
  env: { ...process.env, BENCH_DIR: here, KERNELS_DIST: join(here, "../../kernels/dist") },
});
process.exit(r.status ?? 1);
