// Main entry: runtime-agnostic (no Node APIs). Bring your own compiled WebAssembly.Module,
// or use "@edgeformers/kernels/node" / "@edgeformers/kernels/workers" which load it for you.

export type { GeluApproximation } from "./activations.ts";
export type { AttentionOptions, AttentionResult } from "./attention.ts";
export { EmbeddingTables, type EmbeddingTablesInput, type EmbedOptions } from "./embedding.ts";
export type { Mask } from "./errors.ts";
export { supportsRelaxedSimd } from "./feature-detect.ts";
export { type Activation, type GemmOptions, PackedMatrix, type PackOptions } from "./gemm.ts";
export { type ActivationBits, type Int8DotGemmOptions, PackedInt8DotMatrix } from "./int8-dot.ts";
export { type Int8GemmOptions, PackedInt8Matrix, type QuantizedRows, type QuantizedWeights } from "./int8-gemm.ts";
export { chooseModule, createKernels, type KernelFlavour, type Kernels, type KernelsOptions } from "./kernels.ts";
export type { LayerNormOptions } from "./layer-norm.ts";
export type { MemoryStats } from "./memory.ts";
export type { PoolingMode, PoolOptions } from "./pooling.ts";
export type { TopKResult } from "./similarity.ts";
export { type F32Input, WasmArray, type WasmArrayScope } from "./wasm-array.ts";
