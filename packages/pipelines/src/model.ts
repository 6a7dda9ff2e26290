/**
 * The minimal structural view of an engine model that the pipelines use. Anything with these
 * fields works: the engine's `loadModel` result, or a small controlled model in tests.
 */
import type { Tokenizer } from "@edgeformers/tokenizers";

/** One named model output, row-major. */
export interface Tensor {
  data: Float32Array;
  dims: number[];
}

export interface ForwardInputs {
  inputIds: number[][];
  attentionMask?: number[][];
  tokenTypeIds?: number[][];
}

export type ModelOutputs = Readonly<Record<string, Tensor | undefined>>;

/** sentence-transformers pooling modes (1_Pooling/config.json `pooling_mode_*` flags). */
export type PoolingMode = "cls" | "mean" | "max" | "mean_sqrt_len" | "weightedmean" | "lasttoken";

/**
 * Optional sentence-transformers information. Shaped so the engine's `SentenceTransformersInfo`
 * (modules.json, 1_Pooling/config.json, config_sentence_transformers.json) fits as is.
 */
export interface SentenceTransformersInfo {
  /** modules.json entries; a StaticEmbedding module means no special tokens are added. */
  modules?: readonly { type: string }[];
  /** From 1_Pooling/config.json. `includePrompt` false masks the prompt tokens out of pooling. */
  pooling?: { mode: PoolingMode; includePrompt?: boolean } | null;
  /** Whether modules.json ends with a Normalize module. */
  normalize?: boolean;
  /** Named prompts; when absent, read from `config.prompts`. */
  prompts?: Record<string, string>;
  /** When absent, read from `config.default_prompt_name`. */
  defaultPromptName?: string | null;
  /** sentence_bert_config.json `max_seq_length`, when known (embeddings truncate to it). */
  maxSeqLength?: number | null;
  /** Raw config_sentence_transformers.json (prompts, default_prompt_name, similarity_fn_name). */
  config?: Readonly<Record<string, unknown>> | null;
}

export interface PipelineModel {
  /** Parsed config.json (id2label, label2id, problem_type, num_labels, max_position_embeddings, ...). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly tokenizer: Tokenizer;
  forward(inputs: ForwardInputs): Promise<ModelOutputs>;
  readonly sentenceTransformers?: SentenceTransformersInfo | null;
}

/** Checks the structural contract so a wrong argument fails early with a clear message. */
export function checkModel(model: unknown): PipelineModel {
  if (model === null || typeof model !== "object") throw new TypeError("model must be a loaded model object");
  const m = model as Partial<PipelineModel>;
  if (m.config === null || typeof m.config !== "object")
    throw new TypeError("model.config must be the parsed config.json object");
  if (m.tokenizer === null || typeof m.tokenizer !== "object" || typeof m.tokenizer.encode !== "function") {
    throw new TypeError("model.tokenizer must be an @edgeformers/tokenizers Tokenizer");
  }
  if (typeof m.forward !== "function") throw new TypeError("model.forward must be a function");
  return m as PipelineModel;
}

/** Reads a named output and checks its rank, naming the output in the error. */
export function output(outputs: ModelOutputs, name: string, rank: number): Tensor {
  const t = outputs[name];
  if (!t)
    throw new TypeError(`the model returned no "${name}" output (got ${Object.keys(outputs).join(", ") || "none"})`);
  if (t.dims.length !== rank)
    throw new RangeError(`model output "${name}" must have ${rank} dims, got [${t.dims.join(", ")}]`);
  let size = 1;
  for (const d of t.dims) size *= d;
  if (t.data.length !== size)
    throw new RangeError(`model output "${name}" has ${t.data.length} values for dims [${t.dims.join(", ")}]`);
  return t;
}

/** Row `i` of a [batch, n] tensor, or the vector at [i, j] of a [batch, seq, n] tensor, as float64 numbers. */
export function row(t: Tensor, ...index: number[]): number[] {
  const n = t.dims[t.dims.length - 1];
  let offset = 0;
  for (let k = 0; k < index.length; k++) offset = offset * t.dims[k] + index[k];
  offset *= n;
  return Array.from(t.data.subarray(offset, offset + n));
}
