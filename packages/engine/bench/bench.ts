/**
 * Engine forward latency against onnxruntime-web (wasm, one thread) and onnxruntime-node (one
 * thread) on ONNX exports of the same random weights (src/testing/encoder-onnx.ts), plus cold
 * start and memory. Bundled and run by bench/run.mjs; writes bench/results.json and results.md.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createKernels, supportsRelaxedSimd } from "@edgeformers/kernels";
import { pipeline } from "@edgeformers/pipelines";
import * as ortNode from "onnxruntime-node";
import { BundleSource, loadModel, type Model, parseSafetensors, quantize } from "../src/index.js";
import { loadOrtWeb } from "../src/ort-web/node.js";
import { generateTinyEncoder, MINILM_L6_SHAPE } from "../src/testing/tiny-encoder.js";
import { benchInputs } from "./inputs.js";
import { type MemoryProbe, memoryProbe, runMemoryProbe } from "./memory-probe.js";
import { BENCH_SHAPES, type BenchShape, benchGraph, benchModel } from "./models.js";

const here = process.env.BENCH_DIR ?? ".";
const kernelsDir = process.env.KERNELS_DIST ?? join(here, "../../kernels/dist");
const QUICK = process.env.BENCH_QUICK === "1";
/** Per-cell time cap for the timed runs (after one warm-up): at least 2 runs, at most 7. */
const CELL_MS = Number(process.env.BENCH_CELL_MS ?? 2500);

type Shape = BenchShape;
const SHAPES = BENCH_SHAPES;
const SEQS = QUICK ? [16] : [16, 128, 512];
const BATCHES = [1, 8];
/** Cut to keep the whole run within ~10 min on one thread: bert-base batch 8 × seq 512. */
const skip = (shape: Shape, seq: number, batch: number) => shape.hiddenSize === 768 && seq === 512 && batch === 8;

type Runner = "engine f32" | "engine int8" | "engine int8 (int8 file)" | "ort-web f32" | "ort-node f32";
interface Cell {
  model: string;
  seq: number;
  batch: number;
  runner: Runner;
  bestMs: number;
  medianMs: number;
  runs: number;
  /** Max abs difference of last_hidden_state from ort-node f32 (engine / ort-web), cosine for int8. */
  maxAbsVsOrtNode?: number;
  cosineVsOrtNode?: number;
}
interface Cold {
  model: string;
  runner: Runner;
  coldStartMs: number;
  stats?: ReturnType<Model["stats"]>;
  rssMB: number;
}

const rssMB = () => Math.round(process.memoryUsage().rss / 2 ** 20);
let peakRss = 0;
const sampleRss = () => {
  peakRss = Math.max(peakRss, rssMB());
};

async function time(fn: () => Promise<unknown>): Promise<{ best: number; median: number; runs: number }> {
  await fn(); // warm-up
  sampleRss();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 2 || (times.length < 7 && performance.now() - start < CELL_MS)) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  sampleRss();
  times.sort((a, b) => a - b);
  return { best: times[0], median: times[Math.floor(times.length / 2)], runs: times.length };
}

const inputs = benchInputs;

type OrtLike = typeof ortNode;
async function ortSession(ort: OrtLike, model: Uint8Array) {
  return ort.InferenceSession.create(model, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: "all",
  });
}
function feeds(ort: OrtLike, x: ReturnType<typeof inputs>) {
  const dims = [x.inputIds.length, x.inputIds[0].length];
  const t = (a: number[][]) => new ort.Tensor("int64", BigInt64Array.from(a.flat().map(BigInt)), dims);
  return { input_ids: t(x.inputIds), attention_mask: t(x.attentionMask), token_type_ids: t(x.tokenTypeIds) };
}

function maxAbs(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
function cosine(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return d / Math.sqrt(na * nb);
}

async function main() {
  const relaxed = supportsRelaxedSimd();
  const kernelsModule = new (WebAssembly.Module as unknown as new (b: BufferSource) => WebAssembly.Module)(
    readFileSync(join(kernelsDir, relaxed ? "kernels.relaxed.wasm" : "kernels.simd.wasm")),
  );
  if (process.env.BENCH_PIPELINES_ONLY === "1") {
    // Re-measure only the pipeline section into the saved results.
    const file = join(here, "results.json");
    const saved = JSON.parse(readFileSync(file, "utf8"));
    saved.pipelines = await pipelineBench(kernelsModule);
    writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`);
    writeFileSync(join(here, "results.md"), markdown(saved));
    console.log(markdown(saved));
    return;
  }
  const ortWeb = (await loadOrtWeb()) as unknown as OrtLike;
  const cells: Cell[] = [];
  const cold: Cold[] = [];
  const t0 = performance.now();
  for (const shape of SHAPES) {
    const tiny = benchModel(shape);
    const graph = (seq: number, batch: number) => benchGraph(tiny, shape, seq, batch);
    console.log(`[bench] ${shape.name}: weights generated (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
    const budget = 2 ** 31 - 2 ** 26;
    const engine: Partial<Record<"f32" | "int8", Model>> = {};
    const first = inputs(16, 1, shape.vocabSize);
    for (const dtype of ["f32", "int8"] as const) {
      global.gc?.();
      const start = performance.now();
      const kernels = createKernels(kernelsModule, {
        memoryBudgetBytes: budget,
        flavour: relaxed ? "relaxed-simd" : "simd",
      });
      const model = await loadModel(new BundleSource(tiny.files), { dtype, kernels, memoryBudgetBytes: budget });
      await model.forward(first);
      const ms = performance.now() - start;
      sampleRss();
      cold.push({
        model: shape.name,
        runner: `engine ${dtype}`,
        coldStartMs: ms,
        stats: model.stats(),
        rssMB: rssMB(),
      });
      engine[dtype] = model;
      console.log(`[bench] ${shape.name}: engine ${dtype} cold start ${ms.toFixed(0)} ms`);
    }
    {
      // The int8 model as deployed: the file `edgeformers models quantize` writes (same per-channel
      // scales the engine computes at load), so loading packs the stored int8 values directly.
      const int8File = await quantize(parseSafetensors(tiny.files["model.safetensors"]), { kernels: kernelsModule });
      const files = { ...tiny.files, "model.safetensors": int8File };
      global.gc?.();
      const start = performance.now();
      const kernels = createKernels(kernelsModule, {
        memoryBudgetBytes: budget,
        flavour: relaxed ? "relaxed-simd" : "simd",
      });
      const model = await loadModel(new BundleSource(files), { dtype: "int8", kernels, memoryBudgetBytes: budget });
      await model.forward(first);
      const ms = performance.now() - start;
      sampleRss();
      cold.push({
        model: shape.name,
        runner: "engine int8 (int8 file)",
        coldStartMs: ms,
        stats: model.stats(),
        rssMB: rssMB(),
      });
      console.log(`[bench] ${shape.name}: engine int8 from an int8 file, cold start ${ms.toFixed(0)} ms`);
    }
    let coldDone = false;
    for (const seq of SEQS) {
      for (const batch of BATCHES) {
        if (skip(shape, seq, batch)) continue;
        const x = inputs(seq, batch, shape.vocabSize);
        const onnx = graph(seq, batch);
        const sessions: Partial<Record<"ort-node f32" | "ort-web f32", Awaited<ReturnType<typeof ortSession>>>> = {};
        for (const [runner, ort] of [
          ["ort-node f32", ortNode],
          ["ort-web f32", ortWeb],
        ] as const) {
          const start = performance.now();
          const session = await ortSession(ort, onnx);
          if (!coldDone) {
            // Cold start on the first shape (seq 16, batch 1): bytes in memory → first output.
            await session.run(feeds(ort, x));
            sampleRss();
            cold.push({ model: shape.name, runner, coldStartMs: performance.now() - start, rssMB: rssMB() });
          }
          sessions[runner] = session;
        }
        coldDone = true;
        const reference = (await sessions["ort-node f32"]!.run(feeds(ortNode, x))).last_hidden_state
          .data as Float32Array;
        for (const runner of ["ort-node f32", "ort-web f32"] as const) {
          const ort = runner === "ort-node f32" ? ortNode : ortWeb;
          const session = sessions[runner]!;
          const f = feeds(ort, x);
          const r = await time(() => session.run(f));
          const out = (await session.run(f)).last_hidden_state.data as Float32Array;
          cells.push({
            model: shape.name,
            seq,
            batch,
            runner,
            bestMs: r.best,
            medianMs: r.median,
            runs: r.runs,
            ...(runner === "ort-web f32" ? { maxAbsVsOrtNode: maxAbs(out, reference) } : {}),
          });
          await session.release();
        }
        for (const dtype of ["f32", "int8"] as const) {
          const model = engine[dtype]!;
          const r = await time(() => model.forward(x));
          const out = (await model.forward(x)).last_hidden_state.data;
          cells.push({
            model: shape.name,
            seq,
            batch,
            runner: `engine ${dtype}`,
            bestMs: r.best,
            medianMs: r.median,
            runs: r.runs,
            ...(dtype === "f32"
              ? { maxAbsVsOrtNode: maxAbs(out, reference) }
              : { cosineVsOrtNode: cosine(out, reference) }),
          });
        }
        const c = cells
          .slice(-4)
          .map((c) => `${c.runner} ${c.bestMs.toFixed(1)}`)
          .join(", ");
        console.log(
          `[bench] ${shape.name} seq ${seq} batch ${batch}: ${c} ms (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
        );
      }
    }
    for (const dtype of ["f32", "int8"] as const) {
      const c = cold.find((c) => c.model === shape.name && c.runner === `engine ${dtype}`);
      if (c) c.stats = engine[dtype]!.stats();
    }
  }
  const pipelines = await pipelineBench(kernelsModule);
  const memory = await memoryProbe(kernelsModule);
  const merged = process.env.BENCH_MERGE === "1" ? mergeWithPrevious(cells, cold) : 1;
  const results = {
    benchRuns: merged,
    date: new Date().toISOString(),
    node: process.version,
    cpu: (await import("node:os")).cpus()[0]?.model,
    kernels: relaxed ? "relaxed-simd" : "simd",
    threads: 1,
    notes: [
      "random weights (std 0.02), BERT base model (no pooler), full attention mask, token types 0/1",
      "int8: the engine quantises at load (per output channel); ORT's dynamic-quantized graph is not produced here (that needs onnxruntime's Python quantiser), so int8 is compared with f32 ORT",
      "bert-base batch 8 × seq 512 skipped to keep the run within ~10 min on one thread",
      `best and median of up to 7 timed runs after one warm-up (cap ${CELL_MS} ms per cell)`,
      "with BENCH_MERGE=1 each cell (and cold start) keeps the best over this and the previous results.json",
    ],
    peakRssMB: peakRss,
    memory,
    pipelines,
    cells,
    cold,
  };
  writeFileSync(join(here, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(here, "results.md"), markdown(results));
  console.log(markdown(results));
}

interface PipelineCell {
  task: string;
  head: string;
  texts: number;
  words: number;
  /** Best pipeline call, and the model.forward time within that call; the rest is tokenising + post-processing. */
  totalMs: number;
  forwardMs: number;
  otherMs: number;
}

/** Pipeline calls on a MiniLM-shaped engine model (f32), split into forward and everything else. */
async function pipelineBench(kernelsModule: WebAssembly.Module): Promise<PipelineCell[]> {
  const shape = SHAPES[0];
  const texts = Array.from({ length: 8 }, (_, b) =>
    Array.from({ length: 100 }, (_, w) => `w${5 + ((b * 7919 + w * 104729) % (shape.vocabSize - 5))}`).join(" "),
  );
  const cells: PipelineCell[] = [];
  const tasks = [
    ["feature-extraction", "base", { pooling: "mean", normalize: true }],
    ["text-classification", "ForSequenceClassification", {}],
    ["token-classification", "ForTokenClassification", {}],
  ] as const;
  for (const [task, head, options] of tasks) {
    const tiny = generateTinyEncoder({ seed: 11, modelType: "bert", head, ...MINILM_L6_SHAPE, weightStd: 0.02 });
    const budget = 2 ** 30;
    const kernels = createKernels(kernelsModule, { memoryBudgetBytes: budget });
    const model = await loadModel(new BundleSource(tiny.files), { kernels, memoryBudgetBytes: budget });
    let forwardMs = 0;
    // Counts the time spent inside model.forward during a pipeline call.
    const timed = new Proxy(model, {
      get(target, prop) {
        if (prop === "forward") {
          return async (x: Parameters<Model["forward"]>[0]) => {
            const t = performance.now();
            try {
              return await target.forward(x);
            } finally {
              forwardMs += performance.now() - t;
            }
          };
        }
        const v = Reflect.get(target, prop, target);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    const p = (await pipeline(task, timed, options as never)) as (x: string[]) => Promise<unknown>;
    await p(texts);
    let best: PipelineCell | undefined;
    for (let i = 0; i < 5; i++) {
      forwardMs = 0;
      const t = performance.now();
      await p(texts);
      const total = performance.now() - t;
      if (!best || total < best.totalMs) {
        best = { task, head, texts: texts.length, words: 100, totalMs: total, forwardMs, otherMs: total - forwardMs };
      }
    }
    cells.push(best!);
    console.log(`[bench] pipeline ${task}: ${best!.totalMs.toFixed(1)} ms, forward ${best!.forwardMs.toFixed(1)} ms`);
  }
  return cells;
}

/** The machine is noisy: keep, per cell, the faster of this run and the saved one. Returns the run count. */
function mergeWithPrevious(cells: Cell[], cold: Cold[]): number {
  const file = join(here, "results.json");
  if (!existsSync(file)) return 1;
  const previous = JSON.parse(readFileSync(file, "utf8")) as { cells: Cell[]; cold: Cold[]; benchRuns?: number };
  for (const [i, c] of cells.entries()) {
    const p = previous.cells.find(
      (p) => p.model === c.model && p.seq === c.seq && p.batch === c.batch && p.runner === c.runner,
    );
    if (p && p.bestMs < c.bestMs) cells[i] = p;
  }
  for (const [i, c] of cold.entries()) {
    const p = previous.cold.find((p) => p.model === c.model && p.runner === c.runner);
    if (p && p.coldStartMs < c.coldStartMs) cold[i] = { ...c, coldStartMs: p.coldStartMs };
  }
  return (previous.benchRuns ?? 1) + 1;
}

function markdown(r: {
  cells: Cell[];
  cold: Cold[];
  peakRssMB: number;
  cpu?: string;
  node: string;
  kernels: string;
  benchRuns: number;
  pipelines?: PipelineCell[];
  memory?: MemoryProbe;
}): string {
  const lines = [
    `Node ${r.node}, ${r.cpu ?? "unknown CPU"}, one thread, kernels ${r.kernels}, best over ${r.benchRuns} bench run(s). Forward latency, best of the timed runs (median of that run in parentheses), ms:`,
    "",
    "| model | seq × batch | engine f32 | engine int8 | ort-web f32 | ort-node f32 | speed-up f32 vs ort-web | speed-up int8 vs ort-web f32 | max abs (engine, ort-web vs ort-node) | int8 cosine |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  const keys = [...new Set(r.cells.map((c) => `${c.model}|${c.seq}|${c.batch}`))];
  for (const k of keys) {
    const [model, seq, batch] = k.split("|");
    const get = (runner: Runner) => r.cells.find((c) => `${c.model}|${c.seq}|${c.batch}` === k && c.runner === runner);
    const fmt = (c?: Cell) => (c ? `${c.bestMs.toFixed(1)} (${c.medianMs.toFixed(1)})` : "—");
    const e = get("engine f32");
    const q = get("engine int8");
    const w = get("ort-web f32");
    // How many times faster than onnxruntime-web f32 (the issue's targets: ≥ 1.5× f32, ≥ 2.5× int8).
    const speedUp = (c?: Cell) => (c && w ? `${(w.bestMs / c.bestMs).toFixed(2)}×` : "—");
    lines.push(
      `| ${model} | ${seq} × ${batch} | ${fmt(e)} | ${fmt(q)} | ${fmt(w)} | ${fmt(get("ort-node f32"))} | ${speedUp(e)} | ${speedUp(q)} | ${e?.maxAbsVsOrtNode?.toExponential(1)}, ${w?.maxAbsVsOrtNode?.toExponential(1)} | ${q?.cosineVsOrtNode?.toFixed(5)} |`,
    );
  }
  lines.push("", "Cold start (model bytes in memory → first output, seq 16 × 1) and memory:", "");
  lines.push(
    "| model | runner | cold start ms | weightsBytes | peakBytes (stats) | process RSS after, MB |",
    "| --- | --- | --- | --- | --- | --- |",
  );
  for (const c of r.cold) {
    lines.push(
      `| ${c.model} | ${c.runner} | ${c.coldStartMs.toFixed(0)} | ${c.stats ? `${(c.stats.weightsBytes / 1e6).toFixed(1)} MB` : "—"} | ${c.stats ? `${(c.stats.peakBytes / 1e6).toFixed(1)} MB` : "—"} | ${c.rssMB} |`,
    );
  }
  lines.push("", `Peak process RSS over the run: ${r.peakRssMB} MB (all runtimes in one process).`, "");
  if (r.memory) {
    const m = r.memory;
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(1)} MiB`;
    lines.push(
      `Memory of one MiniLM-shaped int8 model in a fresh process (${m.what}): process RSS grew by **${mib(m.rssGrowthBytes)}** at its peak ` +
        `(sampled every ${m.sampleMs} ms from a worker thread; baseline ${mib(m.baselineRssBytes)} after importing the engine and kernels), ` +
        `of which the int8 file read into memory is ${mib(m.fileBytes)} and the kernels' wasm memory ends at ${mib(m.wasmMemoryBytes)}; ` +
        `the engine's own estimate (stats().peakBytes) is ${mib(m.enginePeakBytes)}, in ${m.batches} batches; forward took ${m.forwardMs.toFixed(0)} ms.`,
      "",
    );
  }
  if (r.pipelines?.length) {
    lines.push(
      "`@edgeformers/pipelines` on the MiniLM-shaped engine model (f32), 8 texts × 100 words (≈ 100 tokens each), best of 5 calls, ms:",
      "",
      "| task | pipeline call | of which model.forward | tokenising + post-processing |",
      "| --- | --- | --- | --- |",
    );
    for (const p of r.pipelines) {
      lines.push(`| ${p.task} | ${p.totalMs.toFixed(1)} | ${p.forwardMs.toFixed(1)} | ${p.otherMs.toFixed(1)} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

// The memory probe re-runs this bundle as a child process, and its RSS sampler as a worker thread.
if (process.env.BENCH_CHILD === "memory") await runMemoryProbe();
else if (process.env.BENCH_CHILD !== "sampler") await main();
