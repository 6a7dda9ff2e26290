/**
 * Pipeline post-processing next to the forward pass, per task: each task runs on a model shaped
 * like all-MiniLM-L6-v2 (6 layers, hidden 384, 12 heads, FFN 1536, vocab 30522; random weights,
 * kernels backend, f32), with `model.forward` timed from inside, so a call's time splits into the
 * forward pass and everything the pipeline does around it (tokenization, masks, softmax, spans,
 * aggregation, sorting).
 *   npm run bench -w @edgeformers/pipelines
 */
import { readFileSync, writeFileSync } from "node:fs";
import { BundleSource, loadModel, type Model } from "@edgeformers/engine";
import { generateTinyEncoder, MINILM_L6_SHAPE, sentenceTransformersFiles } from "@edgeformers/engine/testing";
import { createKernels } from "@edgeformers/kernels";
import { type PipelineTask, pipeline } from "../src/index.js";

// Plain SIMD (Node 20's V8 runs no relaxed SIMD), read from the kernels package's build.
const wasm = readFileSync(new URL("../../kernels/dist/kernels.simd.wasm", import.meta.url));
const kernels = createKernels(await WebAssembly.compile(wasm));
const ROUNDS = 20;
const SENTENCE = "w100 w200 w300 w400 w500 w600 w700 w800 w900 w1000 w1100 w1200 w1300 w1400 w1500 w1600";

type Head = "base" | "ForSequenceClassification" | "ForTokenClassification" | "ForQuestionAnswering" | "ForMaskedLM";
const TASKS: {
  task: PipelineTask;
  head: Head;
  labels?: Record<number, string>;
  input: unknown;
  options?: Record<string, unknown>;
}[] = [
  { task: "feature-extraction", head: "base", input: SENTENCE },
  {
    task: "text-classification",
    head: "ForSequenceClassification",
    labels: { 0: "NEGATIVE", 1: "POSITIVE" },
    input: SENTENCE,
    options: { topK: null },
  },
  {
    task: "zero-shot-classification",
    head: "ForSequenceClassification",
    labels: { 0: "contradiction", 1: "neutral", 2: "entailment" },
    input: SENTENCE,
    options: { candidateLabels: ["w1", "w2", "w3"] },
  },
  {
    task: "token-classification",
    head: "ForTokenClassification",
    labels: { 0: "O", 1: "B-PER", 2: "I-PER" },
    input: SENTENCE,
    options: { aggregationStrategy: "simple" },
  },
  { task: "question-answering", head: "ForQuestionAnswering", input: { question: "w100 w200", context: SENTENCE } },
  { task: "fill-mask", head: "ForMaskedLM", input: "w100 w200 [MASK] w400 w500", options: { topK: 5 } },
  {
    task: "rerank",
    head: "ForSequenceClassification",
    labels: { 0: "LABEL_0" },
    input: { query: "w100", texts: [SENTENCE, SENTENCE, SENTENCE, SENTENCE] },
  },
];

async function modelFor(head: Head, labels: Record<number, string> | undefined): Promise<Model> {
  const generated = generateTinyEncoder({
    seed: 7,
    head,
    numLabels: labels ? Object.keys(labels).length : 2,
    ...MINILM_L6_SHAPE,
  });
  const config = { ...generated.config, ...(labels ? { id2label: labels } : {}) };
  const files = {
    ...generated.files,
    "config.json": JSON.stringify(config),
    ...(head === "base" ? sentenceTransformersFiles(384) : {}),
  };
  // A bench outside any isolate: room for the MLM head's vocabulary-sized decoder.
  return loadModel(new BundleSource(files), { kernels, memoryBudgetBytes: 512 * 1024 * 1024 });
}

const rows: { task: string; totalMs: number; forwardMs: number; postMs: number; share: number }[] = [];
for (const spec of TASKS) {
  const model = await modelFor(spec.head, spec.labels);
  let forwardMs = 0;
  const timed = Object.create(model) as Model;
  timed.forward = async (inputs) => {
    const start = performance.now();
    const out = await model.forward(inputs);
    forwardMs += performance.now() - start;
    return out;
  };
  const run = (await pipeline(spec.task, timed, spec.options as never)) as (input: unknown) => Promise<unknown>;
  await run(spec.input); // warm-up
  let best = { total: Number.POSITIVE_INFINITY, forward: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    forwardMs = 0;
    const start = performance.now();
    await run(spec.input);
    const total = performance.now() - start;
    if (total < best.total) best = { total, forward: forwardMs };
  }
  const post = best.total - best.forward;
  rows.push({ task: spec.task, totalMs: best.total, forwardMs: best.forward, postMs: post, share: post / best.total });
  console.error(`${spec.task}: ${best.total.toFixed(2)} ms (forward ${best.forward.toFixed(2)})`);
}

const table = [
  "| task | call ms | forward ms | pipeline outside forward ms | share |",
  "|---|---:|---:|---:|---:|",
  ...rows.map(
    (r) =>
      `| ${r.task} | ${r.totalMs.toFixed(2)} | ${r.forwardMs.toFixed(2)} | ${r.postMs.toFixed(2)} | ${(100 * r.share).toFixed(1)}% |`,
  ),
].join("\n");
writeFileSync(
  new URL("bench/results.json", new URL("../", import.meta.url)),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rounds: ROUNDS, rows }, null, 2)}\n`,
);
writeFileSync(new URL("bench/results.md", new URL("../", import.meta.url)), `${table}\n`);
console.log(table);
