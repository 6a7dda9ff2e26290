import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { generateTinyEncoder, sentenceTransformersFiles, wordPieceTokenizer } from "@edgeformers/engine/testing";

/**
 * Seeded tiny demo models for `npm start` and the benchmarks: real architectures and heads
 * with random weights (their answers mean nothing), and a small English word vocabulary so
 * requests read naturally. One per task the workers serve.
 */
const WORDS = (
  "the a an and or but is was are were it this that movie film book story plot actor " +
  "great good bad terrible fine boring love hate paris berlin london alice bob wolfgang " +
  "lives live in at of to with from who where what when i you he she we they my name " +
  "city capital france germany very not really overall today . , ! ?"
).split(" ");

const SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"];
export const TINY_VOCAB = [...SPECIALS, ...WORDS];

type Head = "base" | "ForSequenceClassification" | "ForTokenClassification" | "ForQuestionAnswering" | "ForMaskedLM";

export interface TinyModelSpec {
  name: string;
  head: Head;
  /** The catalogue task (MODEL_CONFIG) and the worker that serves it. */
  task: string;
  app: "embed" | "classify";
  id2label?: Record<number, string>;
  hidden?: number;
  layers?: number;
}

export const TINY_MODELS: readonly TinyModelSpec[] = [
  { name: "tiny-minilm", head: "base", task: "feature-extraction", app: "embed" },
  {
    name: "tiny-reranker",
    head: "ForSequenceClassification",
    task: "rerank",
    app: "embed",
    id2label: { 0: "LABEL_0" },
  },
  {
    name: "tiny-sentiment",
    head: "ForSequenceClassification",
    task: "text-classification",
    app: "classify",
    id2label: { 0: "NEGATIVE", 1: "POSITIVE" },
  },
  {
    name: "tiny-nli",
    head: "ForSequenceClassification",
    task: "zero-shot-classification",
    app: "classify",
    id2label: { 0: "contradiction", 1: "neutral", 2: "entailment" },
  },
  {
    name: "tiny-ner",
    head: "ForTokenClassification",
    task: "token-classification",
    app: "classify",
    id2label: { 0: "O", 1: "B-PER", 2: "I-PER", 3: "B-LOC", 4: "I-LOC" },
  },
  { name: "tiny-qa", head: "ForQuestionAnswering", task: "question-answering", app: "classify" },
  { name: "tiny-mlm", head: "ForMaskedLM", task: "fill-mask", app: "classify" },
];

/** Writes every tiny model under `<dir>/<name>/`; returns the names. */
export async function writeTinyModels(dir: string, models: readonly TinyModelSpec[] = TINY_MODELS): Promise<string[]> {
  const tokenizer = JSON.stringify(wordPieceTokenizer(WORDS));
  for (const spec of models) {
    const numLabels = spec.id2label ? Object.keys(spec.id2label).length : 2;
    const generated = generateTinyEncoder({
      seed: 2026,
      head: spec.head,
      numLabels,
      vocabSize: TINY_VOCAB.length,
      hiddenSize: spec.hidden ?? 32,
      numLayers: spec.layers ?? 2,
      numHeads: 4,
      intermediateSize: (spec.hidden ?? 32) * 4,
      maxPositions: 128,
    });
    const config = {
      ...generated.config,
      ...(spec.id2label ? { id2label: spec.id2label } : {}),
      max_position_embeddings: 128,
    };
    const files: Record<string, string | Uint8Array> = {
      "config.json": JSON.stringify(config, null, 2),
      "tokenizer.json": tokenizer,
      "tokenizer_config.json": JSON.stringify({ model_max_length: 128 }),
      "model.safetensors": generated.files["model.safetensors"],
    };
    if (spec.head === "base") Object.assign(files, sentenceTransformersFiles(spec.hidden ?? 32));
    for (const [file, content] of Object.entries(files)) {
      const path = join(dir, spec.name, file);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    }
  }
  return models.map((m) => m.name);
}
