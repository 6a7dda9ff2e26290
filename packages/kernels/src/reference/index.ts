// Plain TypeScript reference implementations of every kernel (the test oracle).
export { referenceGemm, type ReferenceGemmArgs } from "./gemm.ts";
export { erf, geluErf, geluTanh, referenceGelu, referenceBiasAdd, referenceSoftmax } from "./activations.ts";
export {
  roundHalfEven,
  referenceQuantizeRows,
  referenceQuantizeWeights,
  referenceInt8Accumulate,
  referenceDequantize,
  referenceInt8Gemm,
} from "./int8-gemm.ts";
export { referenceAttention } from "./attention.ts";
export { referenceLayerNorm } from "./layer-norm.ts";
export { referenceEmbed } from "./embedding.ts";
export { referencePool } from "./pooling.ts";
export { referenceL2Normalize, referenceCosineSimilarity, referenceTopK } from "./similarity.ts";
