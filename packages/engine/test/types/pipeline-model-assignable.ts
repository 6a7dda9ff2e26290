// Type-checked by test/node/pipeline-model-type.test.ts (and `npm run typecheck`): the engine's
// loadModel result must satisfy @edgeformers/pipelines' PipelineModel structurally, as is.
import type { PipelineModel } from "@edgeformers/pipelines";
import { LocalDirSource, loadModel, type Model } from "../../src/index.js";

export async function assignable(): Promise<PipelineModel> {
  const model: Model = await loadModel(new LocalDirSource("model"));
  const m: PipelineModel = model;
  return m;
}
