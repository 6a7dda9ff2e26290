/**
 * feature-extraction / sentence embeddings, after sentence-transformers `SentenceTransformer.encode`:
 * prompt (prompt, or prompt_name from the model's prompts, or its default prompt) prepended to the
 * text; tokenized with truncation to the model's maximum (or rejected with `truncation: false`);
 * pooled as the model's 1_Pooling/config.json says (prompt tokens left out when include_prompt is
 * false); the model's Normalize module; Matryoshka truncation to `dimensions`; then `normalize`
 * (encode's normalize_embeddings). `pooling: "none"` returns the token embeddings instead, like
 * Python transformers' FeatureExtractionPipeline.
 */
import { forwardAll } from "../batching.js";
import { maxInputLength } from "../config.js";
import { l2Normalize } from "../math.js";
import { output, type PipelineModel, type PoolingMode, row } from "../model.js";
import { pool } from "../pooling.js";
import {
  asBatch,
  checkBoolean,
  checkEnum,
  checkInteger,
  checkKnownOptions,
  checkObject,
  checkString,
} from "../validate.js";

export interface FeatureExtractionOptions {
  /** Default: the model's pooling mode, else "mean" (what sentence-transformers builds for a plain model). */
  pooling?: PoolingMode | "none";
  /** L2-normalise the final vectors (sentence-transformers' normalize_embeddings). Default false. */
  normalize?: boolean;
  /** Keep the first `dimensions` values (Matryoshka truncate_dim). */
  dimensions?: number;
  /** Text prepended to every input; wins over promptName. */
  prompt?: string;
  /** A key of the model's prompts (config_sentence_transformers.json). */
  promptName?: string;
  /** Cut inputs to the model's maximum (default true, as sentence-transformers); false rejects them. */
  truncation?: boolean;
  batchSize?: number;
}

const KNOWN = ["pooling", "normalize", "dimensions", "prompt", "promptName", "truncation", "batchSize"] as const;
export const POOLING_MODES = ["none", "cls", "mean", "max", "mean_sqrt_len", "weightedmean", "lasttoken"] as const;

export type Embedding = number[];

export function promptsOf(model: PipelineModel): { prompts: Record<string, string>; defaultName: string | null } {
  const st = model.sentenceTransformers;
  const raw = st?.prompts ?? (st?.config?.prompts as Record<string, unknown> | undefined) ?? {};
  const prompts: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) if (typeof v === "string") prompts[k] = v;
  const name = st?.defaultPromptName ?? st?.config?.default_prompt_name;
  return { prompts, defaultName: typeof name === "string" ? name : null };
}

/** The prompt encode() would use: prompt, else prompts[prompt_name], else the default prompt. */
function choosePrompt(model: PipelineModel, prompt: string | undefined, promptName: string | undefined): string {
  if (prompt !== undefined) return prompt;
  const { prompts, defaultName } = promptsOf(model);
  if (promptName !== undefined) {
    if (!(promptName in prompts)) {
      throw new RangeError(
        `options.promptName ${JSON.stringify(promptName)} is not one of the model's prompts (${JSON.stringify(Object.keys(prompts))})`,
      );
    }
    return prompts[promptName];
  }
  return defaultName !== null && defaultName in prompts ? prompts[defaultName] : "";
}

/** Tokens of the prompt that pooling leaves out: its encoding less a trailing special token. */
function promptLength(model: PipelineModel, prompt: string): number {
  const enc = model.tokenizer.encode(prompt, null, { truncation: false, padding: false });
  return enc.length - (enc.length > 0 && enc.specialTokensMask[enc.length - 1] ? 1 : 0);
}

export interface ResolvedEmbeddingOptions {
  pooling: PoolingMode | "none";
  normalize: boolean;
  dimensions: number | null;
  prompt: string;
  truncation: boolean;
  batchSize: number | undefined;
}

export function resolveEmbeddingOptions(model: PipelineModel, o: Record<string, unknown>): ResolvedEmbeddingOptions {
  return {
    pooling:
      o.pooling === undefined
        ? (model.sentenceTransformers?.pooling?.mode ?? "mean")
        : checkEnum(o.pooling, "options.pooling", POOLING_MODES),
    normalize: o.normalize === undefined ? false : checkBoolean(o.normalize, "options.normalize"),
    dimensions:
      o.dimensions === undefined || o.dimensions === null ? null : checkInteger(o.dimensions, "options.dimensions", 1),
    prompt: choosePrompt(
      model,
      o.prompt === undefined ? undefined : checkString(o.prompt, "options.prompt"),
      o.promptName === undefined ? undefined : checkString(o.promptName, "options.promptName"),
    ),
    truncation: o.truncation === undefined ? true : checkBoolean(o.truncation, "options.truncation"),
    batchSize: o.batchSize === undefined ? undefined : checkInteger(o.batchSize, "options.batchSize", 1),
  };
}

/**
 * sentence-transformers' StaticEmbedding (Model2Vec) tokenizes with add_special_tokens=False;
 * the Transformer module adds them.
 */
export function isStaticEmbedding(model: PipelineModel): boolean {
  const modules = model.sentenceTransformers?.modules ?? [];
  return modules.some((m) => /(^|\.)StaticEmbedding$/.test(m.type)) || model.config.model_type === "model2vec";
}

/** Embeds texts: one vector per text (or one per token with pooling "none"). */
export async function embedTexts(
  model: PipelineModel,
  texts: string[],
  opts: ResolvedEmbeddingOptions,
  field: (i: number) => string,
): Promise<(Embedding | Embedding[])[]> {
  // sentence_bert_config.json max_seq_length wins, as in sentence-transformers' Transformer module.
  const max = model.sentenceTransformers?.maxSeqLength ?? maxInputLength(model);
  const addSpecialTokens = !isStaticEmbedding(model);
  const encodings = texts.map((text, i) => {
    const full = opts.prompt + text;
    if (opts.truncation && max !== null) {
      return model.tokenizer.encode(full, null, {
        addSpecialTokens,
        truncation: { maxLength: max, strategy: "longest_first" },
        padding: false,
      });
    }
    const enc = model.tokenizer.encode(full, null, { addSpecialTokens, truncation: false, padding: false });
    if (max !== null && enc.length > max) {
      throw new RangeError(
        `${field(i)} is ${enc.length} tokens long, more than the model's maximum of ${max}; pass truncation: true to cut it`,
      );
    }
    return enc;
  });
  const outputs = await forwardAll(model, encodings, opts.batchSize);
  const st = model.sentenceTransformers;
  const skip = opts.prompt !== "" && st?.pooling?.includePrompt === false ? promptLength(model, opts.prompt) : 0;
  const finish = (v: number[], moduleNormalize: boolean) => {
    let out = moduleNormalize ? l2Normalize(v) : v;
    if (opts.dimensions !== null) {
      if (opts.dimensions > out.length)
        throw new RangeError(
          `options.dimensions (${opts.dimensions}) is larger than the embedding size (${out.length})`,
        );
      out = out.slice(0, opts.dimensions);
    }
    return opts.normalize ? l2Normalize(out) : out;
  };
  return encodings.map((encoding, i) => {
    const direct = outputs[i].sentence_embedding;
    if (direct && !outputs[i].last_hidden_state) {
      // Static models (e.g. Model2Vec) produce the sentence vector themselves.
      if (opts.pooling === "none")
        throw new RangeError('options.pooling "none": this model gives sentence embeddings only, no token embeddings');
      return finish(row(output(outputs[i], "sentence_embedding", 2), 0), st?.normalize === true);
    }
    const hidden = output(outputs[i], "last_hidden_state", 3);
    const tokens = Array.from({ length: encoding.length }, (_, t) => row(hidden, 0, t));
    if (opts.pooling === "none") return tokens.map((v) => finish(v, false));
    const mask = encoding.attentionMask.map((m, t) => (t < skip ? 0 : m));
    return finish(pool(tokens, mask, opts.pooling), st?.normalize === true);
  });
}

export async function featureExtraction(
  model: PipelineModel,
  inputs: string | string[],
  options: FeatureExtractionOptions = {},
): Promise<Embedding | Embedding[] | Embedding[][]> {
  const o = checkObject(options, "options");
  checkKnownOptions(o, KNOWN, "feature-extraction");
  const opts = resolveEmbeddingOptions(model, o);
  const { items, single } = asBatch(inputs, "inputs", (v, f) => checkString(v, f));
  const vectors = await embedTexts(model, items, opts, (i) => (single ? "inputs" : `inputs[${i}]`));
  return (single ? vectors[0] : vectors) as Embedding | Embedding[] | Embedding[][];
}
