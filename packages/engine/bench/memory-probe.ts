/**
 * Measured (not estimated) memory of the MiniLM-shaped int8 model at batch 8 × seq 512, in a fresh
 * process so nothing else the bench loaded is counted. The parent writes the int8 model folder to a
 * temporary directory and re-runs this same bundle with BENCH_CHILD=memory; the child takes a
 * baseline RSS after importing everything, then reads the file, loads it under the default 100 MiB
 * budget and runs one forward. A worker thread samples the process RSS every millisecond, because
 * the peak is transient (activations of a layer) and the forward call is synchronous.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isMainThread, Worker, workerData } from "node:worker_threads";
import { createKernels, supportsRelaxedSimd } from "@edgeformers/kernels";
import { BundleSource, DEFAULT_MEMORY_BUDGET_BYTES, loadModel, parseSafetensors, quantize } from "../src/index.js";
import { BENCH_SHAPES, benchModel } from "./models.js";

export interface MemoryProbe {
  what: string;
  baselineRssBytes: number;
  rssGrowthBytes: number;
  fileBytes: number;
  wasmMemoryBytes: number;
  enginePeakBytes: number;
  batches: number;
  forwardMs: number;
  sampleMs: number;
}

const SEQ = 512;
const BATCH = 8;
const SAMPLE_MS = 1;

/** Parent side: writes the model folder, runs the child, returns what it measured. */
export async function memoryProbe(kernelsModule: WebAssembly.Module): Promise<MemoryProbe | undefined> {
  const dir = mkdtempSync(join(tmpdir(), "edgeformers-memory-"));
  try {
    const tiny = benchModel(BENCH_SHAPES[0]);
    const int8 = await quantize(parseSafetensors(tiny.files["model.safetensors"]), { kernels: kernelsModule });
    writeFileSync(join(dir, "config.json"), tiny.files["config.json"]);
    writeFileSync(join(dir, "tokenizer.json"), tiny.files["tokenizer.json"]);
    writeFileSync(join(dir, "model.safetensors"), int8);
    const child = spawnSync(process.execPath, ["--expose-gc", process.argv[1]], {
      env: { ...process.env, BENCH_CHILD: "memory", BENCH_MEMORY_DIR: dir },
      encoding: "utf8",
    });
    const line = child.stdout.split("\n").find((l) => l.startsWith("{"));
    if (child.status !== 0 || !line) {
      console.log(`[bench] memory probe failed (exit ${child.status}): ${child.stderr.slice(-2000)}`);
      return undefined;
    }
    const probe = JSON.parse(line) as MemoryProbe;
    console.log(`[bench] memory probe: ${JSON.stringify(probe)}`);
    return probe;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Child side (BENCH_CHILD=memory): prints one JSON line. */
export async function runMemoryProbe(): Promise<void> {
  if (!isMainThread) return;
  const dir = process.env.BENCH_MEMORY_DIR as string;
  const kernelsDir = process.env.KERNELS_DIST as string;
  const relaxed = supportsRelaxedSimd();
  const module = new (WebAssembly.Module as unknown as new (b: BufferSource) => WebAssembly.Module)(
    readFileSync(join(kernelsDir, relaxed ? "kernels.relaxed.wasm" : "kernels.simd.wasm")),
  );
  // Shared with the sampler: [0] = stop flag, [1] = max RSS seen, in KiB.
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const sampler = new Worker(process.argv[1], {
    workerData: { sampler: shared },
    env: { ...process.env, BENCH_CHILD: "sampler" },
  });
  await new Promise((resolve) => setTimeout(resolve, 200));
  global.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const baseline = process.memoryUsage.rss();
  Atomics.store(shared, 1, Math.floor(baseline / 1024));

  let bytes: Uint8Array | null = readFileSync(join(dir, "model.safetensors"));
  const fileBytes = bytes.byteLength;
  const kernels = createKernels(module, {
    memoryBudgetBytes: DEFAULT_MEMORY_BUDGET_BYTES,
    flavour: relaxed ? "relaxed-simd" : "simd",
  });
  const source = new BundleSource({
    "config.json": readFileSync(join(dir, "config.json"), "utf8"),
    "tokenizer.json": readFileSync(join(dir, "tokenizer.json"), "utf8"),
    "model.safetensors": bytes,
  });
  const model = await loadModel(source, { dtype: "int8", kernels });
  bytes = null;
  const inputIds = Array.from({ length: BATCH }, (_, b) =>
    Array.from({ length: SEQ }, (_, s) => 1000 + ((b * 7919 + s * 104729) % 29000)),
  );
  const t = performance.now();
  await model.forward({ inputIds });
  const forwardMs = performance.now() - t;
  await new Promise((resolve) => setTimeout(resolve, 20));
  Atomics.store(shared, 0, 1);
  await sampler.terminate();
  const peak = Math.max(Atomics.load(shared, 1) * 1024, process.memoryUsage.rss());
  const stats = model.stats();
  const probe: MemoryProbe = {
    what: `int8 safetensors file → loadModel (default ${DEFAULT_MEMORY_BUDGET_BYTES / 2 ** 20} MiB budget) → forward ${BATCH} × ${SEQ}`,
    baselineRssBytes: baseline,
    rssGrowthBytes: peak - baseline,
    fileBytes,
    wasmMemoryBytes: kernels.memory.stats().memoryBytes,
    enginePeakBytes: stats.peakBytes,
    batches: stats.batches,
    forwardMs,
    sampleMs: SAMPLE_MS,
  };
  console.log(JSON.stringify(probe));
}

/** Sampler thread (BENCH_CHILD=sampler): keeps the max RSS in shared memory until told to stop. */
if (!isMainThread && workerData?.sampler) {
  const shared = workerData.sampler as Int32Array;
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  while (Atomics.load(shared, 0) === 0) {
    const kib = Math.floor(process.memoryUsage.rss() / 1024);
    if (kib > Atomics.load(shared, 1)) Atomics.store(shared, 1, kib);
    Atomics.wait(sleeper, 0, 0, SAMPLE_MS);
  }
}
