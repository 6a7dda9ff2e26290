/**
 * Prompt-based classification (PET-style): the text is put into a fill-mask template and each
 * label is scored by its verbalizer words at the mask:
 *
 *   z_w = mask-position logit of word w,  p(w) = exp(z_w) / Σ_{w' in V} exp(z_w')
 *   score(label) = Σ_{w in verbalizer[label]} p(w)
 *
 * where V is the set of every verbalizer word's token id (a softmax over the verbalizer tokens
 * only, i.e. the full-vocabulary probabilities renormalised over V). Results are sorted by score
 * like text-classification with top_k=None.
 */
import { forwardAll } from "../batching.js";
import { encodeForModel } from "../encode.js";
import { softmax } from "../math.js";
import { output, type PipelineModel, row } from "../model.js";
import { specialToken } from "../special-tokens.js";
import { targetId, type Warn, warningSink } from "../targets.js";
import { asBatch, checkBoolean, checkInteger, checkKnownOptions, checkObject, checkString } from "../validate.js";
import type { LabelScore } from "./text-classification.js";

export interface PromptClassificationOptions {
  /**
   * Contains "[MASK]" (replaced by the tokenizer's mask token) and optionally "{}" for the text;
   * without "{}", the text comes first, then a space, then the template.
   */
  template?: string;
  /** label → word or words; each word resolves to one token like fill-mask `targets`. */
  verbalizer?: Record<string, string | string[]>;
  /** Labels per input; default null (all, sorted). */
  topK?: number | null;
  truncation?: boolean;
  /** Inputs per forward call; default 1 (the vocabulary-wide logits are large). */
  batchSize?: number;
  onWarning?: Warn;
}

export const DEFAULT_TEMPLATE = "Overall it was [MASK].";
export const DEFAULT_VERBALIZER: Readonly<Record<string, string[]>> = { positive: ["good"], negative: ["bad"] };

const KNOWN = ["template", "verbalizer", "topK", "truncation", "batchSize", "onWarning"] as const;

export function fillTemplate(template: string, text: string, maskToken: string): string {
  const withMask = template.split("[MASK]").join(maskToken);
  return withMask.includes("{}") ? withMask.split("{}").join(text) : `${text} ${withMask}`;
}

export async function promptClassification(
  model: PipelineModel,
  inputs: string | string[],
  options: PromptClassificationOptions = {},
): Promise<LabelScore[] | LabelScore[][]> {
  const o = checkObject(options, "options");
  checkKnownOptions(o, KNOWN, "prompt-classification");
  const warn = warningSink(o.onWarning);
  const template = o.template === undefined ? DEFAULT_TEMPLATE : checkString(o.template, "options.template");
  if (template.split("[MASK]").length !== 2)
    throw new RangeError('options.template must contain "[MASK]" exactly once');
  const topK = o.topK === undefined || o.topK === null ? null : checkInteger(o.topK, "options.topK", 1);
  const truncation = o.truncation === undefined ? false : checkBoolean(o.truncation, "options.truncation");
  // One input per forward by default (Python's batch_size=1): the logits are [batch, seq, vocab],
  // 8 × 64 tokens × 30k words would already be 62 MB of a Worker's 128.
  const batchSize = o.batchSize === undefined ? 1 : checkInteger(o.batchSize, "options.batchSize", 1);
  const mask = specialToken(model.tokenizer, "mask_token");
  if (!mask) throw new TypeError("prompt-classification: the tokenizer defines no mask token");

  const verbalizer = o.verbalizer === undefined ? DEFAULT_VERBALIZER : checkObject(o.verbalizer, "options.verbalizer");
  const labels = Object.keys(verbalizer);
  if (labels.length === 0) throw new RangeError("options.verbalizer must name at least one label");
  const labelIds = labels.map((label) => {
    const words = verbalizer[label];
    const list = typeof words === "string" ? [words] : words;
    if (!Array.isArray(list) || list.length === 0)
      throw new TypeError(`options.verbalizer.${label} must be a word or a non-empty array of words`);
    const ids = list.map((w, i) =>
      targetId(model.tokenizer, checkString(w, `options.verbalizer.${label}[${i}]`), warn),
    );
    const kept = [...new Set(ids.filter((id): id is number => id !== null))];
    if (kept.length === 0) throw new RangeError(`options.verbalizer.${label} has no word the tokenizer can encode`);
    return kept;
  });
  const vocabulary = [...new Set(labelIds.flat())];

  const { items, single } = asBatch(inputs, "inputs", (v, f) => checkString(v, f));
  const encodings = items.map((text, i) => {
    const field = single ? "inputs" : `inputs[${i}]`;
    const encoding = encodeForModel(model, fillTemplate(template, text, mask.token), null, truncation, field);
    if (!encoding.ids.includes(mask.id)) throw new RangeError(`${field}: the mask token was cut off by truncation`);
    return encoding;
  });
  const outputs = await forwardAll(model, encodings, batchSize);
  const results = encodings.map((encoding, i) => {
    const logits = output(outputs[i], "logits", 3);
    const maskLogits = row(logits, 0, encoding.ids.indexOf(mask.id));
    const probs = softmax(vocabulary.map((id) => maskLogits[id]));
    const byId = new Map(vocabulary.map((id, k) => [id, probs[k]]));
    const ranked = labels
      .map((label, k) => ({ label, score: labelIds[k].reduce((sum, id) => sum + (byId.get(id) ?? 0), 0) }))
      .sort((a, b) => b.score - a.score);
    return topK === null ? ranked : ranked.slice(0, topK);
  });
  return single ? results[0] : results;
}
