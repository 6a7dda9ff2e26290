/**
 * rerank with a cross-encoder, after sentence-transformers `CrossEncoder.rank` (and the TEI
 * /rerank shape): each (query, text) pair is scored by a one-logit sequence-classification model,
 * through the model's activation (Sigmoid by default, as CrossEncoder for num_labels == 1;
 * Identity when config.sentence_transformers.activation_fn says so) or raw with `rawScores`;
 * results sorted by score (stable), cut to `topK`, with the text when `returnText`.
 */
import { forwardAll } from "../batching.js";
import { encodeForModel } from "../encode.js";
import { sigmoid } from "../math.js";
import { output, type PipelineModel, row } from "../model.js";
import { asBatch, checkBoolean, checkInteger, checkKnownOptions, checkObject, checkString } from "../validate.js";

export interface RerankInput {
  query: string;
  texts: string[];
}

export interface RerankOptions {
  topK?: number | null;
  /** Include each text in its result. Default false. */
  returnText?: boolean;
  /** The logit itself, without the activation. Default false. */
  rawScores?: boolean;
  /** Cut pairs to the model's maximum (default true, as CrossEncoder); false rejects them. */
  truncation?: boolean;
  batchSize?: number;
}

export interface RerankResult {
  index: number;
  score: number;
  text?: string;
}

const KNOWN = ["topK", "returnText", "rawScores", "truncation", "batchSize"] as const;

function checkInput(value: unknown, field: string): RerankInput {
  const o = checkObject(value, field);
  const query = checkString(o.query, `${field}.query`);
  if (!Array.isArray(o.texts) || o.texts.length === 0)
    throw new TypeError(`${field}.texts must be a non-empty array of strings`);
  return { query, texts: o.texts.map((t, i) => checkString(t, `${field}.texts[${i}]`)) };
}

/** CrossEncoder's default activation: the configured one when it is Identity, else Sigmoid. */
function activation(model: PipelineModel): (x: number) => number {
  const st = model.config.sentence_transformers;
  const fn = st && typeof st === "object" ? (st as Record<string, unknown>).activation_fn : undefined;
  return typeof fn === "string" && /Identity$/.test(fn) ? (x) => x : sigmoid;
}

export async function rerank(
  model: PipelineModel,
  inputs: RerankInput | RerankInput[],
  options: RerankOptions = {},
): Promise<RerankResult[] | RerankResult[][]> {
  const o = checkObject(options, "options");
  checkKnownOptions(o, KNOWN, "rerank");
  const topK = o.topK === undefined || o.topK === null ? null : checkInteger(o.topK, "options.topK", 1);
  const returnText = o.returnText === undefined ? false : checkBoolean(o.returnText, "options.returnText");
  const raw = o.rawScores === undefined ? false : checkBoolean(o.rawScores, "options.rawScores");
  const truncation = o.truncation === undefined ? true : checkBoolean(o.truncation, "options.truncation");
  const batchSize = o.batchSize === undefined ? undefined : checkInteger(o.batchSize, "options.batchSize", 1);
  const apply = raw ? (x: number) => x : activation(model);
  const { items, single } = asBatch(inputs, "inputs", checkInput);
  const results: RerankResult[][] = [];
  for (const [i, { query, texts }] of items.entries()) {
    const prefix = single ? "inputs" : `inputs[${i}]`;
    const encodings = texts.map((text, k) =>
      encodeForModel(model, query, text, truncation, `${prefix}.texts[${k}] with the query`),
    );
    const outputs = await forwardAll(model, encodings, batchSize);
    const scored = outputs.map((out, index) => {
      const logits = row(output(out, "logits", 2), 0);
      if (logits.length !== 1)
        throw new RangeError(`rerank needs a cross-encoder with one output logit, got ${logits.length}`);
      const result: RerankResult = { index, score: apply(logits[0]) };
      if (returnText) result.text = texts[index];
      return result;
    });
    scored.sort((a, b) => b.score - a.score);
    results.push(topK === null ? scored : scored.slice(0, topK));
  }
  return single ? results[0] : results;
}
