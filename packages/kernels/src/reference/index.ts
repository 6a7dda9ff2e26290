// Plain TypeScript reference implementations of every kernel (the test oracle).

export { erf, geluErf, geluTanh, referenceBiasAdd, referenceGelu, referenceSoftmax } from "./activations.ts";
export { referenceAttention } from "./attention.ts";
export { referenceEmbed } from "./embedding.ts";
export { type ReferenceGemmArgs, referenceGemm } from "./gemm.ts";
export {
  referenceDequantize,
  referenceInt8Accumulate,
  referenceInt8Gemm,
  referenceQuantizeRows,
  referenceQuantizeWeights,
  roundHalfEven,
} from "./int8-gemm.ts";
export { referenceLayerNorm } from "./layer-norm.ts";
export { referencePool } from "./pooling.ts";
export { referenceCosineSimilarity, referenceL2Normalize, referenceTopK } from "./similarity.ts";
