/**
 * Fidelity against transformers.js (@huggingface/transformers, devDependency, Node, local files
 * only, remote loading off). Tiny seeded BERT models from the engine's generator are written as a
 * model folder (config.json, tokenizer.json, tokenizer_config.json, model.safetensors) plus
 * `onnx/model.onnx`, an ONNX graph of the same weights (test/bert-onnx.ts). Our pipelines run
 * `loadModel` (kernels backend, the safetensors) on the folder; transformers.js runs the ONNX file
 * on onnxruntime-node. Labels, spans, words and order must be identical and scores within 1e-4.
 *
 * Where transformers.js departs from Python transformers (its pipelines are simpler ports), the
 * test pins both behaviours: what transformers.js gives, and what Python gives (which is what we
 * implement); the README lists these cases.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PipelineModel } from "../src/model.js";
import { pipeline } from "../src/pipeline.js";
import { type BertHead, bertOnnx } from "./bert-onnx.js";

// Engine imported by computed names so its sources (WebAssembly, Workers types) stay out of this
// package's typecheck (as in engine-integration.test.ts).
const ENGINE_NODE = "@edgeformers/engine/node";
const ENGINE_TESTING = "@edgeformers/engine/testing";
interface EngineNode {
  loadModel(source: unknown, options?: { backend?: "kernels" | "ort" }): Promise<PipelineModel>;
  DirectorySource: new (dir: string) => unknown;
}
interface TinyEncoder {
  config: Record<string, unknown>;
  tensors: Record<string, { shape: number[]; data: Float32Array }>;
  files: { "config.json": string; "tokenizer.json": string; "model.safetensors": Uint8Array };
}
interface EngineTesting {
  generateTinyEncoder(options: Record<string, unknown>): TinyEncoder;
}

// The tokenizer: lowercasing WordPiece with "##" pieces, so subwords, words and sentence pairs occur.
const WORDS = [
  "my", "name", "is", "wolfgang", "and", "i", "live", "in", "berlin", "paris", "the", "capital",
  "of", "france", "where", "do", "?", ".", ",", "this", "example", "sports", "politics", "match",
  "ended", "play", "##ing", "##s", "new", "york", "un", "##believ", "##able", "cat", "sat", "on",
  "mat", "who", "what", "city", "music", "film", "great", "bad",
];
const SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
const VOCAB = [...SPECIALS, ...WORDS];
const HIDDEN = 16;

function tokenizerJson(): Record<string, unknown> {
  const vocab = Object.fromEntries(VOCAB.map((w, i) => [w, i]));
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: SPECIALS.map((content, id) => ({
      id,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    })),
    normalizer: { type: "BertNormalizer", clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: "BertPreTokenizer" },
    post_processor: {
      type: "TemplateProcessing",
      single: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
      ],
      pair: [
        { SpecialToken: { id: "[CLS]", type_id: 0 } },
        { Sequence: { id: "A", type_id: 0 } },
        { SpecialToken: { id: "[SEP]", type_id: 0 } },
        { Sequence: { id: "B", type_id: 1 } },
        { SpecialToken: { id: "[SEP]", type_id: 1 } },
      ],
      special_tokens: Object.fromEntries(
        ["[CLS]", "[SEP]"].map((t) => [t, { id: t, ids: [VOCAB.indexOf(t)], tokens: [t] }]),
      ),
    },
    decoder: { type: "WordPiece", prefix: "##", cleanup: true },
    model: { type: "WordPiece", unk_token: "[UNK]", continuing_subword_prefix: "##", max_input_chars_per_word: 100, vocab },
  };
}

const TOKENIZER_CONFIG = {
  tokenizer_class: "BertTokenizer",
  do_lower_case: true,
  model_max_length: 64,
  cls_token: "[CLS]",
  sep_token: "[SEP]",
  pad_token: "[PAD]",
  unk_token: "[UNK]",
  mask_token: "[MASK]",
  clean_up_tokenization_spaces: true,
};

let root = "";
let engine: EngineNode;
let testing: EngineTesting;
// biome-ignore lint/suspicious/noExplicitAny: transformers.js is untyped at this boundary on purpose
let tjs: any;

/** Writes a tiny BERT folder (safetensors + onnx/model.onnx of the same weights) named `id`. */
function writeModel(id: string, head: BertHead, seed: number, labels?: string[]): string {
  const tiny = testing.generateTinyEncoder({
    seed,
    modelType: "bert",
    head,
    vocabSize: VOCAB.length,
    hiddenSize: HIDDEN,
    numLayers: 2,
    numHeads: 2,
    intermediateSize: 32,
    maxPositions: 64,
    numLabels: labels?.length ?? 2,
    weightStd: 0.3,
  });
  const config: Record<string, unknown> = { ...tiny.config, max_position_embeddings: 64 };
  if (labels) {
    config.id2label = Object.fromEntries(labels.map((l, i) => [String(i), l]));
    config.label2id = Object.fromEntries(labels.map((l, i) => [l, i]));
  }
  const dir = join(root, id);
  mkdirSync(join(dir, "onnx"), { recursive: true });
  writeFileSync(join(dir, "config.json"), JSON.stringify(config, null, 2));
  writeFileSync(join(dir, "tokenizer.json"), JSON.stringify(tokenizerJson()));
  writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify(TOKENIZER_CONFIG));
  writeFileSync(join(dir, "model.safetensors"), tiny.files["model.safetensors"]);
  const onnx = bertOnnx({
    head,
    tensors: tiny.tensors,
    prefix: head === "base" ? "" : "bert.",
    hiddenSize: HIDDEN,
    numHeads: 2,
    numLayers: 2,
    layerNormEps: config.layer_norm_eps as number,
  });
  writeFileSync(join(dir, "onnx", "model.onnx"), onnx);
  return id;
}

async function ours(id: string): Promise<PipelineModel> {
  return engine.loadModel(new engine.DirectorySource(join(root, id)), { backend: "kernels" });
}

async function theirs(task: string, id: string) {
  return tjs.pipeline(task, id, { dtype: "fp32", device: "cpu" });
}

/** Largest |a - b| over the scores; asserts equal lengths. */
function maxDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(0, ...a.map((x, i) => Math.abs(x - b[i])));
}
const diffs: Record<string, number> = {};
function record(name: string, d: number) {
  diffs[name] = Math.max(diffs[name] ?? 0, d);
  expect(d, name).toBeLessThan(1e-4);
}

beforeAll(async () => {
  engine = (await import(/* @vite-ignore */ ENGINE_NODE)) as EngineNode;
  testing = (await import(/* @vite-ignore */ ENGINE_TESTING)) as EngineTesting;
  tjs = await import("@huggingface/transformers");
  root = mkdtempSync(join(tmpdir(), "pipelines-tjs-"));
  tjs.env.allowRemoteModels = false;
  tjs.env.allowLocalModels = true;
  tjs.env.localModelPath = `${root}/`;
  tjs.env.useBrowserCache = false;
  tjs.env.useFSCache = false;
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
  process.stderr.write(`[transformers.js comparison] max |score diff| per case: ${JSON.stringify(diffs)}\n`);
});

describe("transformers.js comparison (tiny BERT, same weights as ONNX)", () => {
  it("smoke", async () => {
    const id = writeModel("tc", "ForSequenceClassification", 1, ["negative", "neutral", "positive"]);
    const a = await (await pipeline("text-classification", await ours(id)))("the cat sat on the mat", { topK: null });
    const b = await (await theirs("text-classification", id))("the cat sat on the mat", { top_k: 3 });
    console.log(JSON.stringify(a), JSON.stringify(b));
  });
});
