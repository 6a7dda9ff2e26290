/**
 * @edgeformers/engine: turns a Hugging Face model folder into outputs. This entry is safe in
 * Workers and browsers; Node-only pieces (local directory and disk cache) live in "./node".
 */

export {
  type Architecture,
  ENCODER_MODEL_TYPES,
  type EncoderArchitecture,
  type EncoderModelType,
  HEADS,
  type Head,
  resolveArchitecture,
  type StaticArchitecture,
} from "./architecture.js";
export { BertEncoder, type EncoderInput } from "./backends/bert.js";
export { StaticEmbeddingModel, type StaticEmbedOptions, type StaticModelOptions } from "./backends/static.js";
export type { Int8Kernel, WeightDtype } from "./backends/weights.js";
export { MAX_BATCH_TOKENS } from "./batching.js";
export {
  bf16ToF32,
  DTYPES,
  type Dtype,
  type DtypeArrays,
  dtypeSize,
  f16BitsToNumber,
  f16ToF32,
  type TensorArray,
  toFloat32,
} from "./dtypes.js";
export { type EncoderConfig, readEncoderConfig } from "./encoder-config.js";
export { ModelFolderError, ModelSourceError, SafetensorsError } from "./errors.js";
export {
  type JsonObject,
  loadModelFolder,
  type ModelFolder,
  type PoolingConfig,
  type PoolingMode,
  type SentenceTransformersInfo,
  type SentenceTransformersModule,
} from "./folder.js";
export type { ForwardInputs } from "./input.js";
export { DEFAULT_MEMORY_BUDGET_BYTES, type LoadModelOptions, loadModel } from "./load-model.js";
export type {
  Backend,
  Model,
  ModelDtype,
  ModelOutputs,
  ModelSentenceTransformers,
  ModelStats,
  Tensor,
} from "./model.js";
export { isQuantizable, type QuantizeOptions, quantize } from "./quantize.js";
export { parseSafetensors, SafetensorsFile, type TensorInfo, type TensorStore } from "./safetensors.js";
export { serializeSafetensors, type TensorToWrite } from "./safetensors-writer.js";
export { ShardedTensorStore } from "./sharded.js";
export { type BundledFile, BundleSource } from "./sources/bundle.js";
export { type SourceFromUriOptions, sourceFromUri } from "./sources/from-uri.js";
export { type FetchLike, HttpSource, type HttpSourceOptions, huggingFaceSource } from "./sources/http.js";
export { type ByteCache, type CacheApiLike, cacheApiCache, memoryCache } from "./sources/http-cache.js";
export { type KVNamespaceLike, KVSource, type KVSourceOptions } from "./sources/kv.js";
export { LocalDirSource } from "./sources/local-dir.js";
export { type R2BucketLike, type R2ObjectBodyLike, R2Source, type R2SourceOptions } from "./sources/r2.js";
export {
  BaseModelSource,
  decodeUtf8,
  type ModelSource,
  normalizeModelPath,
} from "./sources/source.js";
