/**
 * fill-mask, after transformers' FillMaskPipeline: at each mask token, softmax over the whole
 * vocabulary, optionally restricted (not renormalised) to `targets`, then the top k. Results per
 * mask: `{score, token, token_str, sequence}`; `sequence` is the input with that mask filled,
 * decoded without special tokens when the input has a single mask (with them otherwise, so the
 * other masks stay visible), as Python does.
 */
import { forwardAll } from "../batching.js";
import { encodeForModel } from "../encode.js";
import { softmax } from "../math.js";
import { output, type PipelineModel, row } from "../model.js";
import { specialToken } from "../special-tokens.js";
import { targetId, type Warn, warningSink } from "../targets.js";
import { asBatch, checkBoolean, checkInteger, checkKnownOptions, checkObject, checkString } from "../validate.js";

export interface FillMaskOptions {
  topK?: number;
  /** Restrict the candidates to these words (each resolved to one token as Python does). */
  targets?: string | string[];
  truncation?: boolean;
  /** Inputs per forward call; default 1 (the vocabulary-wide logits are large). */
  batchSize?: number;
  /** Receives Python's logger warnings (a multi-token target); default console.warn. */
  onWarning?: Warn;
}

export interface FillMaskCandidate {
  score: number;
  token: number;
  token_str: string;
  sequence: string;
}

/** One mask: candidates; several masks: one list per mask. */
export type FillMaskResult = FillMaskCandidate[] | FillMaskCandidate[][];

const KNOWN = ["topK", "targets", "truncation", "batchSize", "onWarning"] as const;

/** Python's get_target_ids: resolved ids, deduplicated (a set: ascending for small ints). */
export function resolveTargets(model: PipelineModel, targets: unknown, warn: Warn): number[] {
  const list = typeof targets === "string" ? [targets] : targets;
  if (!Array.isArray(list)) throw new TypeError("options.targets must be a string or an array of strings");
  const ids = new Set<number>();
  list.forEach((t, i) => {
    const id = targetId(model.tokenizer, checkString(t, `options.targets[${i}]`), warn);
    if (id !== null) ids.add(id);
  });
  if (ids.size === 0) throw new RangeError("options.targets: at least one target must be provided when passed");
  return [...ids].sort((a, b) => a - b);
}

/** Top k of `probs` (restricted to `candidates` when given): [prob, token id], highest first, ties by position. */
export function topCandidates(probs: number[], candidates: number[] | null, k: number): [number, number][] {
  const pool = candidates ?? probs.map((_, i) => i);
  return pool
    .map((id, position) => ({ id, position, p: probs[id] }))
    .sort((a, b) => b.p - a.p || a.position - b.position)
    .slice(0, k)
    .map((c) => [c.p, c.id]);
}

export async function fillMask(
  model: PipelineModel,
  inputs: string | string[],
  options: FillMaskOptions = {},
): Promise<FillMaskResult | FillMaskResult[]> {
  const o = checkObject(options, "options");
  checkKnownOptions(o, KNOWN, "fill-mask");
  const warn = warningSink(o.onWarning);
  let topK = o.topK === undefined ? 5 : checkInteger(o.topK, "options.topK", 1);
  const truncation = o.truncation === undefined ? false : checkBoolean(o.truncation, "options.truncation");
  // One input per forward by default (Python's batch_size=1): the logits are [batch, seq, vocab],
  // 8 × 64 tokens × 30k words would already be 62 MB of a Worker's 128.
  const batchSize = o.batchSize === undefined ? 1 : checkInteger(o.batchSize, "options.batchSize", 1);
  const tokenizer = model.tokenizer;
  const mask = specialToken(tokenizer, "mask_token");
  if (!mask) throw new TypeError("fill-mask: the tokenizer defines no mask token");
  const targets = o.targets === undefined ? null : resolveTargets(model, o.targets, warn);
  // Python caps top_k at the number of targets.
  if (targets && targets.length < topK) topK = targets.length;

  const { items, single } = asBatch(inputs, "inputs", (v, f) => checkString(v, f));
  const encodings = items.map((text, i) => {
    const field = single ? "inputs" : `inputs[${i}]`;
    const encoding = encodeForModel(model, text, null, truncation, field);
    if (!encoding.ids.includes(mask.id)) throw new RangeError(`${field} has no mask token (${mask.token})`);
    return encoding;
  });
  const outputs = await forwardAll(model, encodings, batchSize);
  const padId = specialToken(tokenizer, "pad_token")?.id ?? null;

  const results = encodings.map((encoding, i) => {
    const logits = output(outputs[i], "logits", 3);
    if (topK > logits.dims[2])
      throw new RangeError(`options.topK (${topK}) is larger than the vocabulary (${logits.dims[2]})`);
    const maskPositions = encoding.ids.flatMap((id, t) => (id === mask.id ? [t] : []));
    const singleMask = maskPositions.length === 1;
    const perMask = maskPositions.map((position) => {
      const probs = softmax(row(logits, 0, position));
      return topCandidates(probs, targets, topK).map(([score, token]) => {
        const filled = encoding.ids.map((id, t) => (t === position ? token : id)).filter((id) => id !== padId);
        return {
          score,
          token,
          token_str: tokenizer.decode([token]),
          sequence: tokenizer.decode(filled, { skipSpecialTokens: singleMask }),
        };
      });
    });
    return singleMask ? perMask[0] : perMask;
  });
  // Python returns outputs[0] for a list of one input too.
  return single || results.length === 1 ? results[0] : results;
}
