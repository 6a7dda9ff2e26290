/**
 * Model folders the cross-app tests serve, written to a temp folder: the hand-made WordPiece
 * tokenizer and a static (Model2Vec-format) model whose table row r is [r, 1, 0, 0], so the
 * expected vectors are worked out by hand.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serializeSafetensors } from "@edgeformers/engine";
import { generateTinyEncoder, sentenceTransformersFiles } from "@edgeformers/engine/testing";
import { TINY_TOKENIZER, TINY_VOCAB } from "../apps/tokenize/test/tiny-tokenizer.js";

export const CATALOGUE = {
  tokenize: { "tiny-tok": { source: "r2:tiny/static/", task: "tokenize" } },
  embed: { "tiny-static": { source: "r2:tiny/static/", task: "feature-extraction", backend: "static" } },
  classify: {},
};

/** Every app's catalogue in one, as a single-worker deployment is configured. */
export const SINGLE_CATALOGUE = { ...CATALOGUE.tokenize, ...CATALOGUE.embed };

/** "hello world" → ids [5, 6] → mean [5.5, 1, 0, 0] / √31.25. */
export const HELLO_WORLD = [5.5 / Math.sqrt(31.25), 1 / Math.sqrt(31.25), 0, 0];

export function writeModels(): string {
  const dir = mkdtempSync(join(tmpdir(), "edgeformers-models-"));
  const folder = join(dir, "tiny", "static");
  mkdirSync(folder, { recursive: true });
  const table = new Float32Array(TINY_VOCAB.length * 4);
  for (let r = 0; r < TINY_VOCAB.length; r++) table.set([r, 1, 0, 0], r * 4);
  writeFileSync(join(folder, "config.json"), JSON.stringify({ model_type: "model2vec", normalize: true }));
  writeFileSync(join(folder, "tokenizer.json"), JSON.stringify(TINY_TOKENIZER));
  writeFileSync(
    join(folder, "model.safetensors"),
    serializeSafetensors({ embeddings: { dtype: "F32", shape: [TINY_VOCAB.length, 4], data: table } }),
  );
  return dir;
}

type Head = "base" | "ForSequenceClassification" | "ForTokenClassification" | "ForQuestionAnswering" | "ForMaskedLM";

/** Seeded tiny transformer models for every pipeline task (the engine's generator; "w5 w6 …" words). */
const TASK_MODELS: Record<
  string,
  { head: Head; task: string; app: "embed" | "classify"; id2label?: Record<string, string> }
> = {
  "tiny-st": { head: "base", task: "feature-extraction", app: "embed" },
  "tiny-sst": {
    head: "ForSequenceClassification",
    task: "text-classification",
    app: "classify",
    id2label: { 0: "NEGATIVE", 1: "POSITIVE" },
  },
  "tiny-nli": {
    head: "ForSequenceClassification",
    task: "zero-shot-classification",
    app: "classify",
    id2label: { 0: "contradiction", 1: "neutral", 2: "entailment" },
  },
  "tiny-ner": {
    head: "ForTokenClassification",
    task: "token-classification",
    app: "classify",
    id2label: { 0: "O", 1: "B-PER", 2: "I-PER" },
  },
  "tiny-qa": { head: "ForQuestionAnswering", task: "question-answering", app: "classify" },
  "tiny-mlm": { head: "ForMaskedLM", task: "fill-mask", app: "classify" },
};

export const TASK_CATALOGUE = {
  tokenize: {} as Record<string, { source: string; task: string }>,
  embed: { ...CATALOGUE.embed } as Record<string, { source: string; task: string; backend?: string }>,
  classify: {} as Record<string, { source: string; task: string }>,
};
for (const [name, m] of Object.entries(TASK_MODELS))
  TASK_CATALOGUE[m.app][name] = { source: `r2:tiny/${name}/`, task: m.task };

/** The static model plus one tiny transformer per task, under tiny/<name>/. */
export function writeTaskModels(): string {
  const dir = writeModels();
  for (const [name, m] of Object.entries(TASK_MODELS)) {
    const numLabels = m.id2label ? Object.keys(m.id2label).length : 2;
    const generated = generateTinyEncoder({ seed: 21, head: m.head, numLabels, vocabSize: 40, maxPositions: 64 });
    const config = m.id2label ? { ...generated.config, id2label: m.id2label } : generated.config;
    const folder = join(dir, "tiny", name);
    mkdirSync(join(folder, "1_Pooling"), { recursive: true });
    writeFileSync(join(folder, "config.json"), JSON.stringify(config));
    writeFileSync(join(folder, "tokenizer.json"), generated.files["tokenizer.json"]);
    writeFileSync(join(folder, "model.safetensors"), generated.files["model.safetensors"]);
    if (m.head === "base") {
      for (const [file, content] of Object.entries(sentenceTransformersFiles(16)))
        writeFileSync(join(folder, file), content);
    }
  }
  return dir;
}
