import { HttpSource, loadModelFolder, type ModelSource, R2Source, StaticEmbeddingModel } from "@edgeformers/engine";
import { type Metrics, ProblemError, type ResolvedModel, SingleFlight } from "@edgeformers/server";

/**
 * What the embedding routes need from a model, whatever its backend: token ids for a text,
 * and the pooled (not yet normalised) sentence vector of some ids.
 */
export interface Embedder {
  readonly dimensions: number;
  /** Whether the model's own config asks for unit vectors (the default of OpenAI-shaped routes). */
  readonly normalizeByDefault: boolean;
  /** Longest input, in tokens, embedded without truncation. */
  readonly maxTokens: number;
  /** Token ids of a text; `truncate` cuts to maxTokens the way the model's library does. */
  tokenize(text: string, truncate: boolean): number[];
  /** The pooled vector of token ids. */
  embedIds(ids: readonly number[]): Float32Array;
}

export interface EmbedBindings {
  MODELS?: R2Bucket;
}

/** model2vec's default max_length: the reference outputs are computed with it. */
const MODEL2VEC_MAX_LENGTH = 512;

class StaticEmbedder implements Embedder {
  readonly dimensions: number;
  readonly maxTokens = MODEL2VEC_MAX_LENGTH;
  constructor(
    private readonly model: StaticEmbeddingModel,
    readonly normalizeByDefault: boolean,
  ) {
    this.dimensions = model.dim;
  }
  tokenize(text: string, truncate: boolean): number[] {
    // Truncating uses model2vec's own cut (text cut, then ids), so results match the Python package.
    return this.model.tokenize(text, { maxLength: truncate ? this.maxTokens : null });
  }
  embedIds(ids: readonly number[]): Float32Array {
    return this.model.poolIds(ids);
  }
}

function sourceFor(model: ResolvedModel, env: EmbedBindings): ModelSource {
  const { source } = model.entry;
  if (source.startsWith("r2:")) {
    if (!env.MODELS) {
      throw new ProblemError({
        status: 503,
        slug: "model-unavailable",
        detail: "The MODELS R2 binding is not configured.",
      });
    }
    return new R2Source(env.MODELS, { prefix: source.slice(3), name: "MODELS" });
  }
  return new HttpSource(source);
}

async function load(model: ResolvedModel, env: EmbedBindings, metrics: Metrics): Promise<Embedder> {
  const started = Date.now();
  const backend = model.entry.backend ?? "static";
  if (backend !== "static") {
    // The kernels and ORT backends arrive with the engine's forward pass.
    throw new ProblemError({
      status: 501,
      slug: "backend-not-available",
      detail: `Model "${model.name}" asks for the "${backend}" backend; this build serves "static" (Model2Vec) models only.`,
      field: "model",
    });
  }
  try {
    const folder = await loadModelFolder(sourceFor(model, env));
    const normalize = folder.config.normalize === true;
    const embedder = new StaticEmbedder(StaticEmbeddingModel.fromFolder(folder, { normalize: false }), normalize);
    metrics.recordModelLoad(model.name, (Date.now() - started) / 1000);
    return embedder;
  } catch (error) {
    if (error instanceof ProblemError) throw error;
    throw new ProblemError({
      status: 503,
      slug: "model-unavailable",
      detail: `Model "${model.name}" could not be loaded: ${(error as Error).message}`,
    });
  }
}

const loaded = new SingleFlight<Embedder>();

export function getEmbedder(model: ResolvedModel, env: EmbedBindings, metrics: Metrics): Promise<Embedder> {
  return loaded.get(`${model.name}\u0000${model.entry.source}\u0000${model.entry.backend ?? ""}`, () =>
    load(model, env, metrics),
  );
}
