/** Reads the parts of config.json the heads need, with transformers' PretrainedConfig defaults. */
import type { PipelineModel } from "./model.js";

/** id2label as a dense list. transformers defaults to LABEL_i when config.json has none. */
export function labelsOf(model: PipelineModel, numLogits: number): string[] {
  const raw = model.config.id2label;
  const labels: string[] = [];
  for (let i = 0; i < numLogits; i++) {
    const name = raw && typeof raw === "object" ? (raw as Record<string, unknown>)[String(i)] : undefined;
    labels.push(typeof name === "string" ? name : `LABEL_${i}`);
  }
  return labels;
}

/** config.num_labels: explicit, else len(id2label) (PretrainedConfig derives it), else the logits width. */
export function numLabelsOf(model: PipelineModel, fallback: number): number {
  const n = model.config.num_labels;
  if (typeof n === "number") return n;
  const raw = model.config.id2label;
  if (raw && typeof raw === "object") return Object.keys(raw).length;
  return fallback;
}

export function problemTypeOf(model: PipelineModel): string | null {
  const p = model.config.problem_type;
  return typeof p === "string" ? p : null;
}

/** label2id entries in config order (Python iterates the dict in insertion order). */
export function label2idOf(model: PipelineModel): [string, number][] {
  const raw = model.config.label2id;
  if (raw && typeof raw === "object") {
    return Object.entries(raw as Record<string, unknown>).filter(
      (e): e is [string, number] => typeof e[1] === "number",
    );
  }
  const id2label = model.config.id2label;
  if (id2label && typeof id2label === "object") {
    return Object.entries(id2label as Record<string, unknown>)
      .filter((e) => typeof e[1] === "string")
      .map(([id, label]) => [label as string, Number(id)]);
  }
  return [];
}

/**
 * The longest input the model takes: the tokenizer's model_max_length, capped by the position
 * embeddings (sentence-transformers uses min(max_position_embeddings, model_max_length)).
 */
export function maxInputLength(model: PipelineModel): number | null {
  const fromTokenizer = model.tokenizer.modelMaxLength;
  const positions = model.config.max_position_embeddings;
  const fromConfig = typeof positions === "number" && positions > 0 ? positions : null;
  if (fromTokenizer !== null && fromConfig !== null) return Math.min(fromTokenizer, fromConfig);
  return fromTokenizer ?? fromConfig;
}
