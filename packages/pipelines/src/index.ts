export { argmax, l2Normalize, sigmoid, softmax } from "./math.js";
export type {
  ForwardInputs,
  ModelOutputs,
  PipelineModel,
  PoolingMode,
  SentenceTransformersInfo,
  Tensor,
} from "./model.js";
export { type Pipeline, type PipelineTask, pipeline, TASKS, type TaskSignatures } from "./pipeline.js";
export { pool } from "./pooling.js";
export * from "./tasks/feature-extraction.js";
export * from "./tasks/fill-mask.js";
export * from "./tasks/prompt-classification.js";
export * from "./tasks/question-answering.js";
export * from "./tasks/rerank.js";
export * from "./tasks/sentence-similarity.js";
export * from "./tasks/text-classification.js";
export * from "./tasks/token-classification.js";
export * from "./tasks/zero-shot-classification.js";
