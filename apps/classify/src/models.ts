import { loadModel, type Model, type ModelSource, sourceFromUri } from "@edgeformers/engine";
import { type Metrics, ModelCache, modelMemoryBudget, ProblemError, type ResolvedModel } from "@edgeformers/server";

export interface ModelBindings {
  MODELS?: R2Bucket;
  /** Bytes the isolate's loaded models may hold together (default 100 MiB). */
  MODEL_MEMORY_BYTES?: string;
}

/** The model's source: its `r2:` prefix in the MODELS bucket, or its base URL. */
function sourceFor(model: ResolvedModel, env: { MODELS?: R2Bucket }): ModelSource {
  try {
    return sourceFromUri(model.entry.source, { r2: env.MODELS, r2Name: "MODELS" });
  } catch (error) {
    throw new ProblemError({ status: 503, slug: "model-unavailable", detail: (error as Error).message });
  }
}

/**
 * Where onnxruntime comes from for `backend: "ort"` models. Only the ORT build (src/ort.ts,
 * wrangler.ort.jsonc) provides it, so the default build never bundles onnxruntime-web.
 */
let onnxruntime: (() => Promise<unknown>) | undefined;

export function useOnnxRuntime(provider: () => Promise<unknown>): void {
  onnxruntime = provider;
}

/** This isolate's models, within its memory budget (least recently used dropped first). */
let loaded: ModelCache<Model> | undefined;

/** The engine model behind a catalogue entry, loaded once per isolate (kernels backend by default). */
export function getModel(model: ResolvedModel, env: ModelBindings, metrics: Metrics): Promise<Model> {
  const { entry } = model;
  loaded ??= new ModelCache<Model>(modelMemoryBudget(env), (m) => m.stats().weightsBytes);
  return loaded.get(
    `${model.name}\u0000${entry.source}\u0000${entry.backend ?? ""}\u0000${entry.dtype ?? ""}`,
    async () => {
      const started = Date.now();
      try {
        if (entry.backend === "ort" && !onnxruntime) {
          throw new ProblemError({
            status: 501,
            slug: "backend-not-available",
            detail: `Model "${model.name}" uses the ort backend, which this build leaves out; deploy wrangler.ort.jsonc.`,
            field: "model",
          });
        }
        const result = await loadModel(sourceFor(model, env), {
          ...(entry.backend ? { backend: entry.backend } : {}),
          ...(entry.dtype ? { dtype: entry.dtype } : {}),
          ...(entry.backend === "ort" && onnxruntime ? { onnxruntime: await onnxruntime() } : {}),
        });
        metrics.recordModelLoad(model.name, (Date.now() - started) / 1000);
        return result;
      } catch (error) {
        if (error instanceof ProblemError) throw error;
        throw new ProblemError({
          status: 503,
          slug: "model-unavailable",
          detail: `Model "${model.name}" could not be loaded: ${(error as Error).message}`,
        });
      }
    },
  );
}
