// Main entry: runtime-agnostic (no Node APIs). Bring your own compiled WebAssembly.Module,
// or use "@edgeformers/kernels/node" / "@edgeformers/kernels/workers" which load it for you.
export { createKernels, chooseModule, type Kernels, type KernelsOptions, type KernelFlavour } from "./kernels.ts";
export { supportsRelaxedSimd } from "./feature-detect.ts";
export type { MemoryStats } from "./memory.ts";
export { PackedMatrix, type Activation, type GemmOptions, type PackOptions } from "./gemm.ts";
export { PackedInt8Matrix, type Int8GemmOptions, type QuantizedRows, type QuantizedWeights } from "./int8-gemm.ts";
export type { AttentionOptions, AttentionResult } from "./attention.ts";
export type { LayerNormOptions } from "./layer-norm.ts";
export type { GeluApproximation } from "./activations.ts";
export { EmbeddingTables, type EmbedOptions, type EmbeddingTablesInput } from "./embedding.ts";
export type { PoolOptions, PoolingMode } from "./pooling.ts";
export type { TopKResult } from "./similarity.ts";
export type { Mask } from "./errors.ts";
