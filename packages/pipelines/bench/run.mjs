// Bundles bench.ts (it imports the TypeScript packages) and runs it with Node.
import { spawnSync } from "node:child_process";
import { build } from "esbuild";

const outfile = new URL("./.bench.bundle.mjs", import.meta.url).pathname;
await build({
  entryPoints: [new URL("./bench.ts", import.meta.url).pathname],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile,
  external: ["onnxruntime-node", "onnxruntime-web"],
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
});
const result = spawnSync(process.execPath, ["--max-old-space-size=4096", outfile], { stdio: "inherit" });
process.exit(result.status ?? 1);
