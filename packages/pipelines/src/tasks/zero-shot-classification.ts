/**
 * zero-shot-classification, after transformers' ZeroShotClassificationPipeline: each
 * (sequence, hypothesis_template.format(label)) pair goes through an NLI model. The entailment id
 * is the first label2id entry whose name starts with "entail" (case-insensitive), else -1 (the
 * last logit, as numpy's negative index); the contradiction id is Python's `-1 if entailment_id
 * == 0 else 0` (it is not looked up by name). Single-label: softmax of the entailment logits over
 * the candidate labels. multi_label (or a single candidate): per label, softmax over
 * [contradiction, entailment], keeping entailment. Labels are ranked as
 * `reversed(scores.argsort())`, so equal scores come out in reverse label order.
 */
import type { Encoding } from "@edgeformers/tokenizers";
import { forwardAll } from "../batching.js";
import { label2idOf, maxInputLength } from "../config.js";
import { softmax } from "../math.js";
import { output, type PipelineModel, row } from "../model.js";
import { type Warn, warningSink } from "../targets.js";
import {
  asBatch,
  checkBoolean,
  checkInteger,
  checkKnownOptions,
  checkObject,
  checkString,
  describe,
  OPTIONS_ONLY,
  OptionsChecked,
} from "../validate.js";

export interface ZeroShotClassificationOptions {
  /** A list, or a comma-separated string (split and trimmed as Python does). Required. */
  candidateLabels?: string | string[];
  hypothesisTemplate?: string;
  multiLabel?: boolean;
  batchSize?: number;
  onWarning?: Warn;
}

export interface ZeroShotResult {
  sequence: string;
  labels: string[];
  scores: number[];
}

const KNOWN = ["candidateLabels", "hypothesisTemplate", "multiLabel", "batchSize", "onWarning"] as const;

/** Python str.format with one positional argument: "{}" and "{0}", "{{" and "}}" escapes. */
export function formatTemplate(template: string, value: string): string {
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (match, field: string | undefined) => {
    if (match === "{{") return "{";
    if (match === "}}") return "}";
    if (field === "" || field === "0") return value;
    throw new RangeError(
      `options.hypothesisTemplate has a field {${field}} that Python's str.format cannot fill with one label`,
    );
  });
}

function parseLabels(value: unknown): string[] {
  if (value === undefined || value === null)
    throw new TypeError("options.candidateLabels is required (a list or a comma-separated string)");
  if (typeof value === "string")
    return value
      .split(",")
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
  if (!Array.isArray(value))
    throw new TypeError(`options.candidateLabels must be an array of strings or a string, got ${describe(value)}`);
  return value.map((l, i) => checkString(l, `options.candidateLabels[${i}]`));
}

/** The entailment logit's index (Python's `entailment_id` property), -1 when no label matches. */
export function entailmentId(model: PipelineModel): number {
  for (const [label, id] of label2idOf(model)) if (label.toLowerCase().startsWith("entail")) return id;
  return -1;
}

export async function zeroShotClassification(
  model: PipelineModel,
  inputs: string | string[],
  options: ZeroShotClassificationOptions = {},
): Promise<ZeroShotResult | ZeroShotResult[]> {
  const o = checkObject(options, "options");
  checkKnownOptions(o, KNOWN, "zero-shot-classification");
  const warn = warningSink(o.onWarning);
  const template =
    o.hypothesisTemplate === undefined
      ? "This example is {}."
      : checkString(o.hypothesisTemplate, "options.hypothesisTemplate");
  const multiLabel = o.multiLabel === undefined ? false : checkBoolean(o.multiLabel, "options.multiLabel");
  const batchSize = o.batchSize === undefined ? undefined : checkInteger(o.batchSize, "options.batchSize", 1);
  // Python's constructor takes no candidate_labels; they are required by the call (which may pass them).
  if (o.candidateLabels === undefined && (inputs as unknown) === OPTIONS_ONLY) throw new OptionsChecked();
  const labels = parseLabels(o.candidateLabels);
  if (labels.length === 0) throw new RangeError("options.candidateLabels must include at least one label");
  if (formatTemplate(template, labels[0]) === template) {
    throw new RangeError(
      `options.hypothesisTemplate ${JSON.stringify(template)} was not able to be formatted with the target labels; include {} where the label should go`,
    );
  }
  const { items, single } = asBatch(inputs, "inputs", (v, f) => checkString(v, f));

  const max = maxInputLength(model);
  const encodings: Encoding[] = [];
  items.forEach((sequence, i) => {
    for (const label of labels) {
      const hypothesis = formatTemplate(template, label);
      let encoding: Encoding;
      try {
        // Python truncates only the sequence ("only_first"); when that cannot help, it does not truncate.
        encoding = model.tokenizer.encode(sequence, hypothesis, {
          truncation: max === null ? false : { maxLength: max, strategy: "only_first" },
          padding: false,
        });
      } catch {
        encoding = model.tokenizer.encode(sequence, hypothesis, { truncation: false, padding: false });
      }
      if (max !== null && encoding.length > max) {
        throw new RangeError(
          `inputs${single ? "" : `[${i}]`} with the hypothesis for ${JSON.stringify(label)} is ${encoding.length} tokens, more than the model's maximum of ${max}`,
        );
      }
      encodings.push(encoding);
    }
  });
  const outputs = await forwardAll(model, encodings, batchSize);

  const entail = entailmentId(model);
  if (entail === -1) {
    warn(
      "Failed to determine 'entailment' label id from the label2id mapping in the model config. Setting to -1. Define a descriptive label2id mapping in the model config to ensure correct outputs.",
    );
  }
  const results = items.map((sequence, i) => {
    const logits = labels.map((_, k) => row(output(outputs[i * labels.length + k], "logits", 2), 0));
    const width = logits[0].length;
    const at = (index: number) => (index < 0 ? width + index : index);
    let scores: number[];
    if (multiLabel || labels.length === 1) {
      const contradiction = entail === 0 ? -1 : 0;
      scores = logits.map((l) => softmax([l[at(contradiction)], l[at(entail)]])[1]);
    } else {
      scores = softmax(logits.map((l) => l[at(entail)]));
    }
    // numpy argsort (stable for these small arrays), then reversed.
    const order = scores
      .map((_, k) => k)
      .sort((a, b) => scores[a] - scores[b] || a - b)
      .reverse();
    return { sequence, labels: order.map((k) => labels[k]), scores: order.map((k) => scores[k]) };
  });
  return single ? results[0] : results;
}
