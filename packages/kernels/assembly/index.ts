// Entry point of the kernels module: re-exports every kernel. Memory is managed by the
// TypeScript arena (runtime stub, no GC); heapBase tells it where free memory starts.

export { attention, attentionScratchBytes } from "./attention";
export { biasAdd, gelu, softmax } from "./elementwise";
export { embed } from "./embedding";
export { gemmF32, packB, packedBBytes } from "./gemm";
export {
  int8GemmDot,
  int8GemmDotExact,
  int8GemmDotSplit,
  int8GemmDotSplitExact,
  packedInt8DotBytes,
  packInt8Dot,
  packQuantizedRows7,
  packQuantizedRowsSplit,
  quantizedRows7Bytes,
  quantizedRowsSplitBytes,
  quantizeRows7,
  quantizeRowsSplit,
} from "./int8dot";
export {
  int8Gemm,
  packedInt8Bytes,
  packInt8,
  packQuantizedRows,
  quantizedRowsBytes,
  quantizeRows,
  quantizeWeights,
} from "./int8gemm";
export { layerNorm } from "./layernorm";
export { peakChains, peakFusedChains } from "./peak";
export { pool } from "./pooling";
export { cosineSimilarity, l2Normalize, topK } from "./similarity";

export function heapBase(): usize {
  return __heap_base;
}
