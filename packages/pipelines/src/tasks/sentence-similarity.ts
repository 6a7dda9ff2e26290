/**
 * sentence-similarity (the Hugging Face inference task): embeds `source_sentence` and `sentences`
 * like feature-extraction, then scores each sentence against the source with the model's
 * similarity function (config_sentence_transformers.json `similarity_fn_name`, default cosine),
 * as sentence-transformers' `similarity`: cosine, dot, and negated euclidean / manhattan distances.
 */
import { l2Normalize } from "../math.js";
import type { PipelineModel } from "../model.js";
import { asBatch, checkEnum, checkKnownOptions, checkObject, checkString } from "../validate.js";
import { embedTexts, type FeatureExtractionOptions, resolveEmbeddingOptions } from "./feature-extraction.js";

export type SimilarityFunction = "cosine" | "dot" | "euclidean" | "manhattan";

export interface SentenceSimilarityInput {
  source_sentence: string;
  sentences: string[];
}

export interface SentenceSimilarityOptions extends Omit<FeatureExtractionOptions, "pooling"> {
  pooling?: Exclude<FeatureExtractionOptions["pooling"], "none">;
  /** Default: the model's similarity_fn_name, else cosine. */
  similarity?: SimilarityFunction;
}

const KNOWN = [
  "pooling",
  "normalize",
  "dimensions",
  "prompt",
  "promptName",
  "truncation",
  "batchSize",
  "similarity",
] as const;
const FUNCTIONS = ["cosine", "dot", "euclidean", "manhattan"] as const;

const dot = (a: number[], b: number[]) => a.reduce((s, x, k) => s + x * b[k], 0);

export function similarity(fn: SimilarityFunction, a: number[], b: number[]): number {
  switch (fn) {
    case "cosine":
      // torch cos_sim: both sides normalised (eps 1e-12), then the dot product.
      return dot(l2Normalize(a), l2Normalize(b));
    case "dot":
      return dot(a, b);
    case "euclidean":
      return -Math.sqrt(a.reduce((s, x, k) => s + (x - b[k]) ** 2, 0));
    case "manhattan":
      return -a.reduce((s, x, k) => s + Math.abs(x - b[k]), 0);
  }
}

function checkInput(value: unknown, field: string): SentenceSimilarityInput {
  const o = checkObject(value, field);
  const source = checkString(o.source_sentence, `${field}.source_sentence`);
  if (!Array.isArray(o.sentences) || o.sentences.length === 0)
    throw new TypeError(`${field}.sentences must be a non-empty array of strings`);
  return { source_sentence: source, sentences: o.sentences.map((s, i) => checkString(s, `${field}.sentences[${i}]`)) };
}

export async function sentenceSimilarity(
  model: PipelineModel,
  inputs: SentenceSimilarityInput | SentenceSimilarityInput[],
  options: SentenceSimilarityOptions = {},
): Promise<number[] | number[][]> {
  const o = checkObject(options, "options");
  checkKnownOptions(o, KNOWN, "sentence-similarity");
  const { similarity: fnOption, ...embedOptions } = o;
  const configured = model.sentenceTransformers?.config?.similarity_fn_name;
  const fn =
    fnOption !== undefined
      ? checkEnum(fnOption, "options.similarity", FUNCTIONS)
      : typeof configured === "string" && (FUNCTIONS as readonly string[]).includes(configured)
        ? (configured as SimilarityFunction)
        : "cosine";
  const opts = resolveEmbeddingOptions(model, embedOptions);
  if (opts.pooling === "none") throw new RangeError('options.pooling "none" gives no sentence vector to compare');
  const { items, single } = asBatch(inputs, "inputs", checkInput);
  const results: number[][] = [];
  for (const [i, item] of items.entries()) {
    const prefix = single ? "inputs" : `inputs[${i}]`;
    const texts = [item.source_sentence, ...item.sentences];
    const vectors = (await embedTexts(model, texts, opts, (k) =>
      k === 0 ? `${prefix}.source_sentence` : `${prefix}.sentences[${k - 1}]`,
    )) as number[][];
    results.push(vectors.slice(1).map((v) => similarity(fn, vectors[0], v)));
  }
  return single ? results[0] : results;
}
