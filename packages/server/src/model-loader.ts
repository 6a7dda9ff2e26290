// Loading catalogue models inside a Worker isolate: the part the model-serving apps share.
// A separate entry (`@edgeformers/server/model-loader`) because it imports the engine, which
// apps that serve no model (tokenize) must not bundle.
import { loadModel, type Model, type ModelSource, sourceFromUri } from "@edgeformers/engine";
import type { Metrics } from "./metrics.js";
import { ModelCache, modelMemoryBudget } from "./model-cache.js";
import type { ResolvedModel } from "./models.js";
import { ProblemError } from "./problem.js";

export interface ModelBindings {
  MODELS?: R2Bucket;
  /** Bytes the isolate's loaded models may hold together (default 100 MiB). */
  MODEL_MEMORY_BYTES?: string;
}

/** Turns a catalogue entry and its source into what the app serves (an engine model, an embedder…). */
export type ModelBuilder<T> = (
  model: ResolvedModel,
  source: ModelSource,
  /** Loads the entry as an engine model (kernels backend by default, ORT when configured). */
  loadEngineModel: () => Promise<Model>,
) => Promise<T>;

/**
 * The models of one isolate, loaded once each and kept within the isolate's memory budget
 * (least recently used dropped first). Load failures become problem+json 503s naming the model;
 * an `ort` entry in a build without onnxruntime is a 501.
 */
export class IsolateModels<T> {
  private cache: ModelCache<T> | undefined;
  private onnxruntime: (() => Promise<unknown>) | undefined;

  constructor(
    /** The memory a loaded value holds, for the budget. */
    private readonly sizeOf: (value: T) => number,
    private readonly build: ModelBuilder<T>,
  ) {}

  /**
   * Where onnxruntime comes from for `backend: "ort"` entries. Only an app's ORT build calls
   * this, so its default build never bundles onnxruntime-web.
   */
  useOnnxRuntime(provider: () => Promise<unknown>): void {
    this.onnxruntime = provider;
  }

  get(model: ResolvedModel, env: ModelBindings, metrics: Metrics): Promise<T> {
    const { entry } = model;
    this.cache ??= new ModelCache<T>(modelMemoryBudget(env), this.sizeOf);
    const key = `${model.name}\u0000${entry.source}\u0000${entry.backend ?? ""}\u0000${entry.dtype ?? ""}`;
    return this.cache.get(key, () => this.load(model, env, metrics));
  }

  private async load(model: ResolvedModel, env: ModelBindings, metrics: Metrics): Promise<T> {
    const started = Date.now();
    try {
      const source = modelSource(model, env);
      const value = await this.build(model, source, () => this.loadEngineModel(model, source));
      metrics.recordModelLoad(model.name, (Date.now() - started) / 1000);
      return value;
    } catch (error) {
      if (error instanceof ProblemError) throw error;
      throw new ProblemError({
        status: 503,
        slug: "model-unavailable",
        detail: `Model "${model.name}" could not be loaded: ${(error as Error).message}`,
      });
    }
  }

  private async loadEngineModel(model: ResolvedModel, source: ModelSource): Promise<Model> {
    const { entry } = model;
    if (entry.backend === "ort" && !this.onnxruntime) {
      throw new ProblemError({
        status: 501,
        slug: "backend-not-available",
        detail: `Model "${model.name}" uses the ort backend, which this build leaves out; deploy wrangler.ort.jsonc.`,
        field: "model",
      });
    }
    return loadModel(source, {
      ...(entry.backend ? { backend: entry.backend } : {}),
      ...(entry.dtype ? { dtype: entry.dtype } : {}),
      ...(entry.backend === "ort" && this.onnxruntime ? { onnxruntime: await this.onnxruntime() } : {}),
    });
  }
}

/** The entry's source: its `r2:` prefix in the MODELS bucket, or its base URL. */
export function modelSource(model: ResolvedModel, env: { MODELS?: R2Bucket }): ModelSource {
  try {
    return sourceFromUri(model.entry.source, { r2: env.MODELS, r2Name: "MODELS" });
  } catch (error) {
    throw new ProblemError({ status: 503, slug: "model-unavailable", detail: (error as Error).message });
  }
}
