/**
 * `npm run bench:workerd -w @edgeformers/engine`: the engine against onnxruntime-web inside
 * workerd, the runtime the engine is for (relaxed SIMD, so int8 runs on the byte dot kernel).
 * Both run in one worker (bench/workerd/entry.ts), built by `wrangler deploy --dry-run` and run by
 * Miniflare. Time does not advance inside a Workers request, so each cell is timed from outside:
 * (best request running the forward N times − best request running it 0 times) / N, over ROUNDS
 * interleaved rounds. Same random MiniLM-shaped weights and inputs as bench.ts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { parseSafetensors, quantize } from "../src/index.js";
import { BENCH_SHAPES, type BenchShape, benchGraph, benchModel } from "./models.js";

const here = process.env.BENCH_DIR ?? ".";
const QUICK = process.env.BENCH_QUICK === "1";
const ROUNDS = QUICK ? 2 : 5;
/** Work per timed request, so the fixed cost of a request is small next to it. */
const TARGET_MS = QUICK ? 300 : 1500;

/** The cells run per shape (bert-base: short sequences only, to keep the run near 6 min). */
const CELLS: Record<BenchShape["name"], [seq: number, batch: number][]> = {
  "MiniLM-L6 shape": QUICK
    ? [[16, 1]]
    : [
        [16, 1],
        [16, 8],
        [128, 1],
        [128, 8],
        [512, 1],
        [512, 8],
      ],
  "bert-base shape": QUICK
    ? []
    : [
        [16, 1],
        [128, 1],
      ],
};
const RUNNERS = ["f32", "int8", "ort-web"] as const;
type Runner = (typeof RUNNERS)[number];

interface Cell {
  model: string;
  seq: number;
  batch: number;
  ms: Record<Runner, number>;
  calls: Record<Runner, number>;
  maxAbsF32VsOrt: number;
  int8CosineVsOrt: number;
}

function build(): string {
  const outdir = join(here, ".out", "workerd");
  const result = spawnSync(
    "npx",
    ["wrangler", "deploy", "--dry-run", "--config", join(here, "workerd", "wrangler.jsonc"), "--outdir", outdir],
    { encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
  );
  if (result.status !== 0) throw new Error(`wrangler dry-run failed:\n${result.stdout}${result.stderr}`);
  return outdir;
}

function cosine(a: number[], b: number[]): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

async function main() {
  const kernelsDir = process.env.KERNELS_DIST ?? join(here, "../../kernels/dist");
  const kernelsModule = new (WebAssembly.Module as unknown as new (b: BufferSource) => WebAssembly.Module)(
    readFileSync(join(kernelsDir, "kernels.simd.wasm")),
  );
  const outdir = build();
  const wasm = readdirSync(outdir)
    .filter((f) => f.endsWith(".wasm"))
    .map((f) => ({ type: "CompiledWasm" as const, path: join(outdir, f) }));
  const mf = new Miniflare({
    modules: [{ type: "ESModule", path: join(outdir, "entry.js") }, ...wasm],
    modulesRoot: outdir,
    compatibilityDate: "2026-04-01",
  });
  const call = async (path: string, init?: { method: "POST"; body?: string | Uint8Array }) => {
    const t = performance.now();
    const res = await mf.dispatchFetch(`http://bench${path}`, init as Parameters<typeof mf.dispatchFetch>[1]);
    const text = await res.text();
    if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
    return { ms: performance.now() - t, text };
  };
  const cells: Cell[] = [];
  const loaded: Record<string, unknown> = {};
  try {
    for (const shape of BENCH_SHAPES) {
      // BENCH_CELLS=512x1,128x8 runs only those seq × batch cells (for trying a change quickly).
      const only = process.env.BENCH_CELLS?.split(",");
      const shapeCells = CELLS[shape.name].filter(([seq, batch]) => !only || only.includes(`${seq}x${batch}`));
      if (shapeCells.length === 0) continue;
      const tiny = benchModel(shape);
      const int8File = await quantize(parseSafetensors(tiny.files["model.safetensors"]), { kernels: kernelsModule });
      const upload = { ...tiny.files, "model.int8.safetensors": int8File };
      for (const [name, body] of Object.entries(upload)) await call(`/file/${name}`, { method: "POST", body });
      for (const dtype of ["f32", "int8"]) {
        loaded[`${shape.name} ${dtype}`] = JSON.parse((await call(`/engine/${dtype}`, { method: "POST" })).text);
      }
      console.log(`[bench:workerd] ${shape.name}: loaded ${JSON.stringify(loaded[`${shape.name} int8`])}`);
      for (const [seq, batch] of shapeCells) {
        const graph = benchGraph(tiny, shape, seq, batch);
        await call(`/ort/${seq}x${batch}`, { method: "POST", body: graph });
        const run = (runner: Runner, iters: number) =>
          call(`/run?runner=${runner}&seq=${seq}&batch=${batch}&iters=${iters}&vocab=${shape.vocabSize}`);
        const calls = {} as Record<Runner, number>;
        const heads = {} as Record<Runner, number[]>;
        for (const runner of RUNNERS) {
          await run(runner, 1); // warm-up: V8 tiers up the wasm on first use
          const once = Math.min((await run(runner, 1)).ms, (await run(runner, 1)).ms);
          calls[runner] = Math.max(1, Math.round(TARGET_MS / once));
          heads[runner] = JSON.parse((await run(runner, 1)).text).head;
        }
        const full = {} as Record<Runner, number>;
        const zero = {} as Record<Runner, number>;
        for (let r = 0; r < ROUNDS; r++) {
          for (const runner of RUNNERS) {
            // Minimum over rounds: load from other processes only ever adds time.
            zero[runner] = Math.min(zero[runner] ?? Infinity, (await run(runner, 0)).ms);
            full[runner] = Math.min(full[runner] ?? Infinity, (await run(runner, calls[runner])).ms);
          }
        }
        const ms = Object.fromEntries(RUNNERS.map((r) => [r, (full[r] - zero[r]) / calls[r]])) as Record<
          Runner,
          number
        >;
        const maxAbsF32VsOrt = Math.max(...heads.f32.map((v, i) => Math.abs(v - heads["ort-web"][i])));
        const cell = {
          model: shape.name,
          seq,
          batch,
          ms,
          calls,
          maxAbsF32VsOrt,
          int8CosineVsOrt: cosine(heads.int8, heads["ort-web"]),
        };
        cells.push(cell);
        console.log(`[bench:workerd] ${JSON.stringify(cell)}`);
      }
    }
  } finally {
    await mf.dispose();
  }
  const runs = process.env.BENCH_MERGE === "1" ? mergeWithPrevious(cells) : 1;
  const markdown = table(cells, runs);
  console.log(`\n${markdown}`);
  writeFileSync(
    join(here, "results.workerd.json"),
    `${JSON.stringify({ date: new Date().toISOString(), cpu: os.cpus()[0]?.model, rounds: ROUNDS, benchRuns: runs, loaded, cells, markdown }, null, 2)}\n`,
  );
}

/** BENCH_MERGE=1: each runner of each cell keeps its best time over this and the saved run. */
function mergeWithPrevious(cells: Cell[]): number {
  const file = join(here, "results.workerd.json");
  if (!existsSync(file)) return 1;
  const previous = JSON.parse(readFileSync(file, "utf8")) as { cells: Cell[]; benchRuns?: number };
  for (const cell of cells) {
    const old = previous.cells.find((p) => p.model === cell.model && p.seq === cell.seq && p.batch === cell.batch);
    if (old) for (const r of RUNNERS) cell.ms[r] = Math.min(cell.ms[r], old.ms[r]);
  }
  return (previous.benchRuns ?? 1) + 1;
}

function table(cells: Cell[], runs: number): string {
  const x = (ort: number, ours: number) => `${(ort / ours).toFixed(2)}×`;
  return [
    `Inside workerd (Miniflare ${readPackageVersion("miniflare")}), one thread, relaxed-SIMD kernels (int8 on the byte dot kernel). Forward latency in ms, (best request of N forwards − best request of none) / N over ${ROUNDS} interleaved rounds; best per runner over ${runs} bench run(s):`,
    "",
    "| model | seq × batch | engine f32 | engine int8 | ort-web f32 | speed-up f32 vs ort-web | speed-up int8 vs ort-web f32 | max abs f32 vs ort-web (first 64 values) | int8 cosine vs ort-web (first 64) |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...cells.map(
      (c) =>
        `| ${c.model} | ${c.seq} × ${c.batch} | ${c.ms.f32.toFixed(1)} | ${c.ms.int8.toFixed(1)} | ${c.ms["ort-web"].toFixed(1)} | ${x(c.ms["ort-web"], c.ms.f32)} | ${x(c.ms["ort-web"], c.ms.int8)} | ${c.maxAbsF32VsOrt.toExponential(1)} | ${c.int8CosineVsOrt.toFixed(5)} |`,
    ),
    "",
  ].join("\n");
}

function readPackageVersion(name: string): string {
  try {
    const dir = join(here, "../../../node_modules", name, "package.json");
    return JSON.parse(readFileSync(dir, "utf8")).version;
  } catch {
    return "?";
  }
}

await main();
