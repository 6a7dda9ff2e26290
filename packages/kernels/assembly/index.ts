// Entry point of the kernels module: re-exports every kernel. Memory is managed by the
// TypeScript arena (runtime stub, no GC); heapBase tells it where free memory starts.
export { packedBBytes, packB, gemmF32 } from "./gemm";
export { packedInt8Bytes, quantizedRowsBytes, packInt8, quantizeRows, quantizeWeights, int8Gemm } from "./int8gemm";
export { attentionScratchBytes, attention } from "./attention";
export { layerNorm } from "./layernorm";
export { gelu, biasAdd, softmax } from "./elementwise";
export { embed } from "./embedding";
export { pool } from "./pooling";
export { l2Normalize, cosineSimilarity, topK } from "./similarity";
export { peakChains } from "./peak";

export function heapBase(): usize {
  return __heap_base;
}
