export { pipeline, type PipelineTask, TASKS } from "./pipeline.js";
export type { ForwardInputs, ModelOutputs, PipelineModel, PoolingMode, SentenceTransformersInfo, Tensor } from "./model.js";
export { softmax, sigmoid } from "./math.js";
export * from "./tasks/text-classification.js";
