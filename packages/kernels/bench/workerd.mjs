// f32 and int8 GEMM inside workerd (the runtime the relaxed-SIMD build is for): ours vs onnxruntime-web,
// both as compiled modules in one worker. Time inside a Workers request does not advance, so the
// runner times requests from outside: (best time of N calls − best time of 0 calls) / N over ROUNDS
// interleaved rounds. Needs `npm run build` first. Usage: node bench/workerd.mjs [--quick] [--only=gemm|attention]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare } from "miniflare";

const quick = process.argv.includes("--quick");
// --only=gemm or --only=attention runs a part (a quick look; the committed results come from a full run).
const only = process.argv.find((a) => a.startsWith("--only="))?.slice(7);
const ROUNDS = quick ? 3 : 9;
const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const require = createRequire(import.meta.url);
const tmp = mkdtempSync(join(os.tmpdir(), "kernels-workerd-bench-"));
await build({
  entryPoints: [here("./workerd-entry.ts")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  mainFields: ["module", "main"],
  conditions: ["import"],
  external: ["./ort.wasm", "./kernels.relaxed.wasm", "./kernels.simd.wasm", "node:*"],
  outfile: join(tmp, "worker.js"),
  logLevel: "warning",
});
// The non-JSEP wasm build, next to the package's main entry (its package.json is not exported).
const ortWasmPath = join(require.resolve("onnxruntime-web"), "..", "ort-wasm-simd-threaded.wasm");
const mf = new Miniflare({
  modules: [
    { type: "ESModule", path: "worker.js", contents: readFileSync(join(tmp, "worker.js"), "utf8") },
    { type: "CompiledWasm", path: "ort.wasm", contents: readFileSync(ortWasmPath) },
    {
      type: "CompiledWasm",
      path: "kernels.relaxed.wasm",
      contents: readFileSync(here("../dist/kernels.relaxed.wasm")),
    },
    { type: "CompiledWasm", path: "kernels.simd.wasm", contents: readFileSync(here("../dist/kernels.simd.wasm")) },
  ],
  compatibilityDate: "2025-01-01",
});

function workerdVersion() {
  try {
    return JSON.parse(readFileSync(join(require.resolve("workerd"), "..", "..", "package.json"), "utf8")).version;
  } catch {
    return "(version unknown)";
  }
}

async function request(name, shape, iters) {
  const t0 = performance.now();
  const res = await mf.dispatchFetch(`http://bench/?case=${name}&shape=${shape}&iters=${iters}`);
  const text = await res.text();
  if (!res.ok) throw new Error(`${name} ${shape}: ${text}`);
  return { ms: performance.now() - t0, info: text.slice(3) };
}

const shapes = only === "attention" ? [] : ["128x384x384", "128x384x1536", "128x768x768", "128x768x3072"];
const names = [
  "gemm",
  "ortMatMul",
  "int8MatMul",
  "int8DotMatMul",
  "int8DotMatMul8",
  "ortMatMulInteger",
  "int8Gemm",
  "int8DotGemm",
  "int8DotGemm8",
  "ortDynamicQuant",
];
// The SIMD128 peak in the same worker: 14 mul+add chains (the definition) and 14 fused
// multiply-add chains (what the relaxed build's GEMM runs).
const PEAK_ITERS = 1_000_000;
const PEAK_CALLS = 20;
async function measurePeak(name) {
  const shape = `1x${PEAK_ITERS}x1`;
  await request(name, shape, 2); // warm-up
  let full = Infinity;
  let zero = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    zero = Math.min(zero, (await request(name, shape, 0)).ms);
    full = Math.min(full, (await request(name, shape, PEAK_CALLS)).ms);
  }
  return (112 * PEAK_ITERS * PEAK_CALLS) / ((full - zero) / 1e3) / 1e9;
}
const peakGflops = await measurePeak("peak");
const fusedPeakGflops = await measurePeak("peakFused");
console.log(`SIMD128 peak: ${peakGflops.toFixed(1)} GFLOP/s mul+add, ${fusedPeakGflops.toFixed(1)} GFLOP/s fused`);

const results = [];
for (const shape of shapes) {
  const [m, k, n] = shape.split("x").map(Number);
  const calls = Math.max(5, Math.round(1.5e9 / (m * k * n))); // ~40-80 ms of work per request
  const bestFull = {};
  const bestZero = {};
  const info = {};
  for (const name of names) info[name] = (await request(name, shape, 5)).info; // warm-up, JIT tiers
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of names) {
      // Minimum over rounds of each separately: load from other processes only adds time.
      bestZero[name] = Math.min(bestZero[name] ?? Infinity, (await request(name, shape, 0)).ms);
      bestFull[name] = Math.min(bestFull[name] ?? Infinity, (await request(name, shape, calls)).ms);
    }
  }
  const best = Object.fromEntries(names.map((name) => [name, (bestFull[name] - bestZero[name]) / calls]));
  const row = { shape: shape.replace(/^(\d+)x(\d+)x(\d+)$/, "$1x$2·$2x$3"), ...best, info };
  results.push(row);
  console.log(row);
}
// Attention: 12 heads × 64 at seq 128 and 512, against ORT-web's two graphs.
const attentionNames = ["attention", "ortAttentionMms", "ortAttentionMha"];
const attention = [];
for (const seq of only === "gemm" ? [] : [128, 512]) {
  const shape = `${seq}x12x64`;
  const calls = seq === 128 ? 20 : 3;
  const bestFull = {};
  const bestZero = {};
  for (const name of attentionNames) await request(name, shape, 3);
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of attentionNames) {
      bestZero[name] = Math.min(bestZero[name] ?? Infinity, (await request(name, shape, 0)).ms);
      bestFull[name] = Math.min(bestFull[name] ?? Infinity, (await request(name, shape, calls)).ms);
    }
  }
  const row = {
    shape: `12x64 seq ${seq}`,
    ...Object.fromEntries(attentionNames.map((name) => [name, (bestFull[name] - bestZero[name]) / calls])),
  };
  attention.push(row);
  console.log(row);
}
await mf.dispose();
rmSync(tmp, { recursive: true, force: true });

const ms = (s) => s.toFixed(3);
const x = (other, ours) => `${(other / ours).toFixed(2)}×`;
const gflops = (shape, msPerCall) => {
  const [m, k, n] = shape
    .split(/[x·]/)
    .map(Number)
    .filter((_, i) => i !== 2);
  return (2 * m * k * n) / msPerCall / 1e6;
};
const lines = [
  `GEMM inside workerd ${workerdVersion()} (relaxed-SIMD build, which workerd selects), ms per call, best of ${ROUNDS} interleaved rounds, timed from outside the worker.`,
  "",
  `Measured SIMD128 peak in workerd: ${peakGflops.toFixed(1)} GFLOP/s with 14 independent f32x4 mul+add chains, ${fusedPeakGflops.toFixed(1)} GFLOP/s with 14 fused multiply-add chains (relaxed SIMD).`,
  "",
  "| shape | f32: gemm | ORT-web MatMul | gemm vs ORT | gemm GFLOP/s | % of mul+add peak | % of fused peak | ORT-web % of mul+add peak |",
  "|---|---:|---:|---:|---:|---:|---:|---:|",
  ...results.map((r) => {
    const ours = gflops(r.shape, r.gemm);
    const pct = (value, peak) => `${((100 * value) / peak).toFixed(0)}%`;
    return `| ${r.shape} | ${ms(r.gemm)} | ${ms(r.ortMatMul)} | ${x(r.ortMatMul, r.gemm)} | ${ours.toFixed(1)} | ${pct(ours, peakGflops)} | ${pct(ours, fusedPeakGflops)} | ${pct(gflops(r.shape, r.ortMatMul), peakGflops)} |`;
  }),
  "",
  "int8 with 8-bit activations like MatMulInteger's u8 (int8MatMul / int8Gemm on i16 dots; int8DotMatMul8 / int8DotGemm8 on the byte dot, split into two 7-bit halves, bit-identical to int8Gemm), and with 7-bit activations (int8DotMatMul / int8DotGemm, one dot per 16 multiply-adds):",
  "",
  "| shape | core: int8MatMul | core: int8DotMatMul8 | core: int8DotMatMul (7-bit) | ORT-web MatMulInteger | int8MatMul vs ORT | int8DotMatMul8 vs ORT | int8DotMatMul (7-bit) vs ORT |",
  "|---|---:|---:|---:|---:|---:|---:|---:|",
  ...results.map(
    (r) =>
      `| ${r.shape} | ${ms(r.int8MatMul)} | ${ms(r.int8DotMatMul8)} | ${ms(r.int8DotMatMul)} | ${ms(r.ortMatMulInteger)} | ${x(r.ortMatMulInteger, r.int8MatMul)} | ${x(r.ortMatMulInteger, r.int8DotMatMul8)} | ${x(r.ortMatMulInteger, r.int8DotMatMul)} |`,
  ),
  "",
  "| shape | full: int8Gemm | full: int8DotGemm8 | full: int8DotGemm (7-bit) | ORT-web DQL→MatMulInteger→Cast→Mul | int8Gemm vs ORT | int8DotGemm8 vs ORT | int8DotGemm (7-bit) vs ORT |",
  "|---|---:|---:|---:|---:|---:|---:|---:|",
  ...results.map(
    (r) =>
      `| ${r.shape} | ${ms(r.int8Gemm)} | ${ms(r.int8DotGemm8)} | ${ms(r.int8DotGemm)} | ${ms(r.ortDynamicQuant)} | ${x(r.ortDynamicQuant, r.int8Gemm)} | ${x(r.ortDynamicQuant, r.int8DotGemm8)} | ${x(r.ortDynamicQuant, r.int8DotGemm)} |`,
  ),
  "",
  "| attention | ours | ORT-web MatMul–Softmax–MatMul | ORT-web MultiHeadAttention | vs ORT's best |",
  "|---|---:|---:|---:|---:|",
  ...attention.map(
    (r) =>
      `| ${r.shape} | ${ms(r.attention)} | ${ms(r.ortAttentionMms)} | ${ms(r.ortAttentionMha)} | ${x(Math.min(r.ortAttentionMms, r.ortAttentionMha), r.attention)} |`,
  ),
  "",
  `int8DotGemm on the relaxed dot instruction: ${results[0]?.info.int8DotGemm ?? "n/a"}.`,
];
const table = lines.join("\n");
console.log(`\n${table}`);
writeFileSync(
  here("./results.workerd.json"),
  `${JSON.stringify({ date: new Date().toISOString(), rounds: ROUNDS, cpu: os.cpus()[0]?.model, peakGflops, fusedPeakGflops, results, attention, markdown: table }, null, 2)}\n`,
);
