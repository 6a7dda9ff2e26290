import { dtypeSize, loadModelFolder, type Model, type ModelSource, StaticEmbeddingModel } from "@edgeformers/engine";
import { featureExtraction, l2Normalize, pool, rerank } from "@edgeformers/pipelines";
import { type Metrics, ProblemError, type ResolvedModel } from "@edgeformers/server";
import { IsolateModels, type ModelBindings } from "@edgeformers/server/model-loader";
import { finishVector } from "./vectors.js";

export interface EmbedRequestOptions {
  truncate: boolean;
  /** Which end `truncate` cuts from (TEI's truncation_direction); default right. */
  truncationDirection?: "right" | "left";
  normalize: boolean;
  dimensions?: number;
  promptName?: string;
}

/** What the embedding routes need from a model, whatever its backend. */
export interface Embedder {
  readonly dimensions: number;
  /** Whether the model itself produces unit vectors (the default of OpenAI-shaped routes). */
  readonly normalizeByDefault: boolean;
  /** Longest input, in tokens, embedded without truncation. */
  readonly maxTokens: number;
  /** Memory the model holds, for the isolate's model budget. */
  readonly bytes: number;
  /** Token ids of a text as the model would embed it (for usage and the length limit). */
  tokenize(text: string, truncate: boolean): number[];
  /** Sentence vectors of texts (already tokenized by `tokenize` for the checks). */
  embed(texts: readonly string[], options: EmbedRequestOptions): Promise<Float32Array[]>;
  /** Sentence vectors of token-id lists, used as given (OpenAI's token input). */
  embedIds(ids: readonly number[][], options: EmbedRequestOptions): Promise<Float32Array[]>;
  /** One vector per token (TEI /embed_all); encoders only. */
  embedTokens?(texts: readonly string[], truncate: boolean): Promise<number[][][]>;
  /** Cross-encoder scores of (query, text) pairs (TEI /rerank); sequence classifiers only. */
  rerank?(
    query: string,
    texts: readonly string[],
    options: { rawScores: boolean; truncate: boolean },
  ): Promise<{ index: number; score: number }[]>;
}

export type EmbedBindings = ModelBindings;

/** model2vec's default max_length: the reference outputs are computed with it. */
const MODEL2VEC_MAX_LENGTH = 512;

/** Model2Vec: exact to the Python package, including its truncation. */
class StaticEmbedder implements Embedder {
  readonly dimensions: number;
  readonly maxTokens = MODEL2VEC_MAX_LENGTH;
  constructor(
    private readonly model: StaticEmbeddingModel,
    readonly normalizeByDefault: boolean,
    /** The safetensors bytes, which the model reads in place. */
    readonly bytes: number,
  ) {
    this.dimensions = model.dim;
  }
  tokenize(text: string, truncate: boolean): number[] {
    // Truncating uses model2vec's own cut (text cut, then ids), so results match the Python package.
    return this.model.tokenize(text, { maxLength: truncate ? this.maxTokens : null });
  }
  async embed(texts: readonly string[], options: EmbedRequestOptions): Promise<Float32Array[]> {
    if (options.promptName !== undefined) throw noPrompt(options.promptName);
    if (options.truncationDirection === "left") {
      throw invalid(
        "truncation_direction",
        "left truncation is not available for static (Model2Vec) models, which keep the start of a text, as model2vec does.",
      );
    }
    return this.embedIds(
      texts.map((text) => this.tokenize(text, options.truncate)),
      options,
    );
  }
  async embedIds(ids: readonly number[][], options: EmbedRequestOptions): Promise<Float32Array[]> {
    return ids.map((list) => finishVector(this.model.poolIds(list), options.dimensions, options.normalize));
  }
}

/** A transformer encoder through the pipelines: sentence-transformers pooling, prompts, heads. */
class EncoderEmbedder implements Embedder {
  readonly dimensions: number;
  readonly normalizeByDefault: boolean;
  readonly maxTokens: number;
  readonly bytes: number;
  constructor(private readonly model: Model) {
    this.bytes = model.stats().weightsBytes;
    this.dimensions = Number(model.config.hidden_size ?? model.config.dim ?? 0);
    this.normalizeByDefault = model.sentenceTransformers?.normalize === true;
    const limits = [
      model.sentenceTransformers?.maxSeqLength,
      model.tokenizer.modelMaxLength,
      model.config.max_position_embeddings,
    ];
    this.maxTokens = Math.min(...limits.filter((n): n is number => typeof n === "number" && n > 0), 1 << 20);
  }
  tokenize(text: string, truncate: boolean): number[] {
    const ids = this.model.tokenizer.encode(text, null, { truncation: false }).ids;
    return truncate ? ids.slice(0, this.maxTokens) : ids;
  }
  async embed(texts: readonly string[], options: EmbedRequestOptions): Promise<Float32Array[]> {
    if (options.truncate && options.truncationDirection === "left") {
      // Keep the end of each text: tokenize with left truncation, then pool those ids.
      if (options.promptName !== undefined) {
        throw invalid("prompt_name", "prompt_name cannot be combined with truncation_direction left.");
      }
      const ids = texts.map(
        (text) =>
          this.model.tokenizer.encode(text, null, { truncation: { maxLength: this.maxTokens, direction: "left" } }).ids,
      );
      return this.embedIds(ids, options);
    }
    // normalize runs after the Matryoshka cut, as OpenAI and TEI do; the model's own Normalize
    // module (if any) runs inside the pipeline before it.
    const vectors = (await featureExtraction(this.model, [...texts], {
      truncation: options.truncate,
      ...(options.promptName === undefined ? {} : { promptName: options.promptName }),
    })) as number[][];
    return vectors.map((v) => finishVector(Float32Array.from(v), options.dimensions, options.normalize));
  }
  async embedIds(ids: readonly number[][], options: EmbedRequestOptions): Promise<Float32Array[]> {
    // The ids are used as given (no special tokens added), pooled the way the model's
    // sentence-transformers configuration says, as sentence-transformers would pool them.
    const mode = this.model.sentenceTransformers?.pooling?.mode ?? "mean";
    const vectors: Float32Array[] = [];
    for (const list of ids) {
      const mask = list.map(() => 1);
      const out = await this.model.forward({ inputIds: [[...list]], attentionMask: [mask] });
      const hidden = out.last_hidden_state;
      if (!hidden) throw invalid("model", "This model gives no token embeddings to pool.");
      const width = hidden.dims[2] as number;
      const rows = Array.from({ length: list.length }, (_, t) =>
        Array.from(hidden.data.subarray(t * width, (t + 1) * width)),
      );
      let vector = pool(rows, mask, mode);
      if (this.model.sentenceTransformers?.normalize) vector = l2Normalize(vector);
      vectors.push(finishVector(Float32Array.from(vector), options.dimensions, options.normalize));
    }
    return vectors;
  }
  async embedTokens(texts: readonly string[], truncate: boolean): Promise<number[][][]> {
    return (await featureExtraction(this.model, [...texts], { pooling: "none", truncation: truncate })) as number[][][];
  }
  async rerank(query: string, texts: readonly string[], options: { rawScores: boolean; truncate: boolean }) {
    if (this.model.architecture.kind !== "encoder" || this.model.architecture.head !== "ForSequenceClassification") {
      throw new ProblemError({
        status: 422,
        slug: "wrong-task",
        detail: "Reranking needs a cross-encoder (a sequence-classification model).",
        field: "model",
      });
    }
    return (await rerank(
      this.model,
      { query, texts: [...texts] },
      { topK: null, rawScores: options.rawScores, truncation: options.truncate },
    )) as {
      index: number;
      score: number;
    }[];
  }
}

function invalid(field: string, detail: string): ProblemError {
  return new ProblemError({ status: 422, slug: "invalid-field", detail, field });
}

function noPrompt(name: string): ProblemError {
  return new ProblemError({
    status: 422,
    slug: "invalid-field",
    detail: `prompt_name "${name}" is not defined for this model.`,
    field: "prompt_name",
  });
}

/** A Model2Vec folder: the tables are read in place from the safetensors bytes. */
async function loadStatic(source: ModelSource): Promise<Embedder> {
  const folder = await loadModelFolder(source);
  // The size of the tables is what the model holds.
  const weights = folder.weights;
  const bytes = weights
    ? weights.names.reduce((sum, name) => {
        const info = weights.info(name);
        return sum + info.shape.reduce((a, b) => a * b, 1) * dtypeSize(info.dtype);
      }, 0)
    : 0;
  return new StaticEmbedder(
    StaticEmbeddingModel.fromFolder(folder, { normalize: false }),
    folder.config.normalize === true,
    bytes,
  );
}

/** This isolate's embedders, within its memory budget. */
const embedders = new IsolateModels<Embedder>(
  (embedder) => embedder.bytes,
  async (model, source, loadEngineModel) =>
    model.entry.backend === "static" ? loadStatic(source) : new EncoderEmbedder(await loadEngineModel()),
);

/** Called by the ORT build (src/ort.ts) only, so the default build never bundles onnxruntime-web. */
export function useOnnxRuntime(provider: () => Promise<unknown>): void {
  embedders.useOnnxRuntime(provider);
}

export function getEmbedder(model: ResolvedModel, env: EmbedBindings, metrics: Metrics): Promise<Embedder> {
  return embedders.get(model, env, metrics);
}
