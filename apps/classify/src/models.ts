import type { Model } from "@edgeformers/engine";
import type { Metrics, ResolvedModel } from "@edgeformers/server";
import { IsolateModels, type ModelBindings } from "@edgeformers/server/model-loader";

export type { ModelBindings };

/** This isolate's engine models (kernels backend by default), within its memory budget. */
const models = new IsolateModels<Model>(
  (model) => model.stats().weightsBytes,
  (_model, _source, loadEngineModel) => loadEngineModel(),
);

/** The engine model behind a catalogue entry, loaded once per isolate. */
export function getModel(model: ResolvedModel, env: ModelBindings, metrics: Metrics): Promise<Model> {
  return models.get(model, env, metrics);
}

/** Called by the ORT build (src/ort.ts) only, so the default build never bundles onnxruntime-web. */
export function useOnnxRuntime(provider: () => Promise<unknown>): void {
  models.useOnnxRuntime(provider);
}
