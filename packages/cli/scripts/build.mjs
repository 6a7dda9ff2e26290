// Bundles the CLI for Node into dist/edgeformers.mjs. The engine loads its kernels from
// .wasm files next to the running module, so those are copied beside the bundle.
import { copyFileSync, mkdirSync, readdirSync } from "node:fs";
import { build } from "esbuild";

const kernelsDist = new URL("../../kernels/dist/", import.meta.url);
mkdirSync(new URL("../dist/", import.meta.url), { recursive: true });
await build({
  entryPoints: ["src/main.ts"],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  outfile: "dist/edgeformers.mjs",
  external: ["onnxruntime-node", "onnxruntime-web", "miniflare"],
  // Bundled CommonJS dependencies may call require(); give the ESM bundle one.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
});
for (const file of readdirSync(kernelsDist).filter((f) => f.endsWith(".wasm"))) {
  copyFileSync(new URL(file, kernelsDist), new URL(`../dist/${file}`, import.meta.url));
}
