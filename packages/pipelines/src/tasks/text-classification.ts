/**
 * text-classification (sentiment-analysis), after transformers' TextClassificationPipeline.
 *
 * Result shape, as Python: without `topK` (the legacy mode) each input gives its best
 * `{label, score}`; a single string gives `[{label, score}]`, a single `{text, text_pair}` gives
 * the bare `{label, score}`, an array gives one `{label, score}` per input. With `topK` (a number,
 * or null for all labels) each input gives a list sorted by score, a single input gives that list
 * and an array gives a list of lists.
 */
import { forwardAll } from "../batching.js";
import { labelsOf, numLabelsOf, problemTypeOf } from "../config.js";
import { encodeForModel } from "../encode.js";
import { argmax, sigmoid, softmax } from "../math.js";
import { output, type PipelineModel, row } from "../model.js";
import {
  asBatch,
  checkBoolean,
  checkEnum,
  checkInteger,
  checkKnownOptions,
  checkObject,
  checkString,
  describe,
} from "../validate.js";

export type FunctionToApply = "default" | "sigmoid" | "softmax" | "none";

export interface TextClassificationOptions {
  /** Number of labels per input; null: all labels. Absent: Python's legacy single best label. */
  topK?: number | null;
  functionToApply?: FunctionToApply;
  /** Cut inputs longer than the model's maximum (otherwise they are a RangeError). */
  truncation?: boolean;
  batchSize?: number;
}

export type TextPair = { text: string; text_pair?: string };
export type TextClassificationInput = string | TextPair;
export interface LabelScore {
  label: string;
  score: number;
}
export type TextClassificationOutput = LabelScore | LabelScore[] | LabelScore[][];

const KNOWN = ["topK", "functionToApply", "truncation", "batchSize"] as const;

function checkInput(value: unknown, field: string): TextPair {
  if (typeof value === "string") return { text: value };
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      if (key !== "text" && key !== "text_pair")
        throw new TypeError(`${field}.${key} is not a known field (expected text, text_pair)`);
    }
    const text = checkString(o.text, `${field}.text`);
    return o.text_pair === undefined ? { text } : { text, text_pair: checkString(o.text_pair, `${field}.text_pair`) };
  }
  throw new TypeError(`${field} must be a string or a {text, text_pair} object, got ${describe(value)}`);
}

/** The function Python picks when function_to_apply is not given (TextClassificationPipeline.postprocess). */
export function defaultFunction(model: PipelineModel, numLogits: number): Exclude<FunctionToApply, "default"> {
  const problemType = problemTypeOf(model);
  const numLabels = numLabelsOf(model, numLogits);
  if (problemType === "regression") return "none";
  if (problemType === "multi_label_classification" || numLabels === 1) return "sigmoid";
  if (problemType === "single_label_classification" || numLabels > 1) return "softmax";
  return "none";
}

export function applyFunction(logits: number[], fn: Exclude<FunctionToApply, "default">): number[] {
  if (fn === "sigmoid") return logits.map(sigmoid);
  if (fn === "softmax") return softmax(logits);
  return logits;
}

export async function textClassification(
  model: PipelineModel,
  inputs: TextClassificationInput | TextClassificationInput[],
  options: TextClassificationOptions = {},
): Promise<TextClassificationOutput> {
  const o = checkObject(options, "options");
  checkKnownOptions(o, KNOWN, "text-classification");
  const legacy = !("topK" in o) || o.topK === undefined;
  const topK = legacy || o.topK === null ? null : checkInteger(o.topK, "options.topK", 1);
  const fnOption =
    o.functionToApply === undefined
      ? "default"
      : checkEnum(o.functionToApply, "options.functionToApply", ["default", "sigmoid", "softmax", "none"] as const);
  const truncation = o.truncation === undefined ? false : checkBoolean(o.truncation, "options.truncation");
  const batchSize = o.batchSize === undefined ? undefined : checkInteger(o.batchSize, "options.batchSize", 1);

  const { items, single } = asBatch(inputs, "inputs", checkInput);
  const encodings = items.map((item, i) =>
    encodeForModel(model, item.text, item.text_pair ?? null, truncation, single ? "inputs" : `inputs[${i}]`),
  );
  const outputs = await forwardAll(model, encodings, batchSize);
  const results = outputs.map((out) => {
    const logitsTensor = output(out, "logits", 2);
    const logits = row(logitsTensor, 0);
    const fn = fnOption === "default" ? defaultFunction(model, logits.length) : fnOption;
    const scores = applyFunction(logits, fn);
    const labels = labelsOf(model, scores.length);
    // A config with return_all_scores: true makes Python's legacy mode list every label, unsorted.
    if (legacy && model.config.return_all_scores === true)
      return scores.map((score, i) => ({ label: labels[i], score }));
    if (legacy) {
      const best = argmax(scores);
      return { label: labels[best], score: scores[best] } as LabelScore;
    }
    // Python sorts with list.sort (stable), so equal scores keep label order.
    const ranked = scores.map((score, i) => ({ label: labels[i], score })).sort((a, b) => b.score - a.score);
    return topK === null ? ranked : ranked.slice(0, topK);
  });
  if (!single) return results as LabelScore[] | LabelScore[][];
  // Python's __call__ wraps a lone string's legacy dict in a list, but not a lone pair dict.
  if (legacy && typeof inputs === "string") return [results[0]] as LabelScore[] | LabelScore[][];
  return results[0];
}
