/**
 * The loaded model that `loadModel` returns: config, tokenizer, sentence-transformers settings,
 * `forward` on nested-array inputs returning named outputs as the ONNX exports name them, and
 * memory statistics. Structurally a `PipelineModel` of @edgeformers/pipelines.
 */
import type { Tokenizer } from "@edgeformers/tokenizers";
import type { Architecture } from "./architecture.js";
import type { Int8Kernel } from "./backends/weights.js";
import type { PoolingConfig, SentenceTransformersModule } from "./folder.js";
import type { Tensor } from "./heads/common.js";
import type { ForwardInputs } from "./input.js";

export type { Tensor } from "./heads/common.js";
export type { ForwardInputs } from "./input.js";

export type Backend = "kernels" | "ort" | "static";
export type ModelDtype = "f32" | "int8";

/** Named outputs: last_hidden_state, pooler_output, logits, start_logits, end_logits, sentence_embedding. */
export type ModelOutputs = Record<string, Tensor>;

export interface ModelStats {
  backend: Backend;
  dtype: ModelDtype;
  /** Bytes of weights the model keeps (JS tables and matrices packed into wasm memory). */
  weightsBytes: number;
  /** wasm scratch memory (linear memory not holding weights); it grows to the largest batch and stays. */
  arenaBytes: number;
  /** Highest estimated total (weights + arena + activations of a batch) seen so far. */
  peakBytes: number;
  /** The memoryBudgetBytes the model plans batches against. */
  budgetBytes: number;
  /** forward() calls and the batches they were split into. */
  forwardCalls: number;
  batches: number;
  /** Kernels backend with int8 matrices: which int8 GEMM runs them ("dot" where relaxed SIMD is native). */
  int8Kernel?: Int8Kernel;
}

/** sentence-transformers settings in the shape @edgeformers/pipelines reads. */
export interface ModelSentenceTransformers {
  modules: SentenceTransformersModule[];
  /** 1_Pooling/config.json; null when there is no Pooling module. */
  pooling: PoolingConfig | null;
  /** A Normalize module is in modules.json. */
  normalize: boolean;
  /** config_sentence_transformers.json `prompts` ({} when none). */
  prompts: Record<string, string>;
  defaultPromptName: string | null;
  /** sentence_bert_config.json `max_seq_length`, when present. */
  maxSeqLength: number | null;
  /** Raw config_sentence_transformers.json. */
  config: Readonly<Record<string, unknown>> | null;
}

export interface Model {
  /** Parsed config.json. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly tokenizer: Tokenizer;
  readonly architecture: Architecture;
  readonly backend: Backend;
  readonly dtype: ModelDtype;
  /** The outputs forward() returns. */
  readonly outputNames: readonly string[];
  readonly sentenceTransformers: ModelSentenceTransformers | null;
  forward(inputs: ForwardInputs): Promise<ModelOutputs>;
  stats(): ModelStats;
}
