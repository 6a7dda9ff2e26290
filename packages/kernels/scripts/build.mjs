// Builds the two wasm flavours (plain SIMD, relaxed SIMD) into dist/, then emits the
// TypeScript API (and the test ONNX writer) as JavaScript into dist/js for the benchmark,
// which runs under plain Node (no TypeScript loader).
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const ascBin = join(dirname(require.resolve("assemblyscript/package.json")), "bin", "asc.js");
const tscBin = require.resolve("typescript/bin/tsc");
mkdirSync(join(root, "dist"), { recursive: true });

const common = [
  "assembly/index.ts",
  "--enable",
  "simd",
  "-O3",
  "--noAssert",
  "--runtime",
  "stub",
  "--uncheckedBehavior",
  "always",
  "--initialMemory",
  "1",
];
const flavours = [
  { file: "kernels.simd.wasm", extra: [] },
  { file: "kernels.relaxed.wasm", extra: ["--enable", "relaxed-simd"] },
];
for (const { file, extra } of flavours) {
  const out = join("dist", file);
  execFileSync(process.execPath, [ascBin, ...common, ...extra, "-o", out], { cwd: root, stdio: "inherit" });
  const bytes = statSync(join(root, out)).size;
  console.log(`${out}: ${bytes} bytes`);
  if (bytes > 64 * 1024) throw new Error(`${out} is ${bytes} bytes, over the 64 KB budget`);
}
rmSync(join(root, "dist", "js"), { recursive: true, force: true });
execFileSync(process.execPath, [tscBin, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
console.log("dist/js: emitted");
