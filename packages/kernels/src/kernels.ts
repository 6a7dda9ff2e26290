// createKernels: instantiates a compiled kernels module and binds every kernel to its arena.

import { biasAdd, type GeluApproximation, gelu, softmax } from "./activations.ts";
import { type AttentionOptions, type AttentionResult, attention } from "./attention.ts";
import type { KernelContext } from "./context.ts";
import {
  type EmbeddingTables,
  type EmbeddingTablesInput,
  type EmbedOptions,
  embed,
  uploadEmbeddings,
} from "./embedding.ts";
import { type GemmOptions, gemm, type PackedMatrix, type PackOptions, packMatrix } from "./gemm.ts";
import {
  type ActivationBits,
  type Int8DotGemmOptions,
  int8DotGemm,
  int8DotGemmAccumulators,
  int8DotMatMul,
  int8DotProbePasses,
  type PackedInt8DotMatrix,
  packInt8DotMatrix,
  quantizeRows7,
} from "./int8-dot.ts";
import {
  type Int8GemmOptions,
  int8Gemm,
  int8GemmAccumulators,
  int8MatMul,
  type PackedInt8Matrix,
  packInt8Matrix,
  type QuantizedRows,
  type QuantizedWeights,
  quantizeRows,
  quantizeWeights,
} from "./int8-gemm.ts";
import { type LayerNormOptions, layerNorm } from "./layer-norm.ts";
import { Arena, type MemoryStats } from "./memory.ts";
import { type PoolingMode, type PoolOptions, pool } from "./pooling.ts";
import { cosineSimilarity, l2Normalize, type TopKResult, topK } from "./similarity.ts";
import { type F32Input, type WasmArray, type WasmArrayScope, withArrays } from "./wasm-array.ts";
import type { KernelExports } from "./wasm-exports.ts";

/** Options of a kernel whose `out` is a WasmArray: the kernel writes there and returns it. */
type IntoArray<Options> = Options & { readonly out: WasmArray };
/** Options of a kernel that returns a Float32Array (`out`, if given, is one). */
type IntoJs<Options> = Options & { readonly out?: Float32Array };

export interface KernelsOptions {
  /** Maximum bytes of wasm memory the arena may use (weights + scratch). Default 1 GiB. */
  readonly memoryBudgetBytes?: number;
  /** Label reported by `flavour` (set by the loaders). */
  readonly flavour?: KernelFlavour;
}

export type KernelFlavour = "simd" | "relaxed-simd";

export interface Kernels {
  readonly flavour: KernelFlavour;
  readonly memory: {
    stats(): MemoryStats;
    /** Drops all scratch; packed weights stay. Calls already release their scratch on return. */
    reset(): void;
    resetHighWaterMark(): void;
  };
  /**
   * Runs `fn` (synchronously) with f32 arrays kept in wasm memory until it returns: kernels take
   * them as inputs and `out` without copying, so a chain of kernels passes activations in place.
   */
  withArrays<T>(fn: (scope: WasmArrayScope) => T): T;
  packMatrix(b: Float32Array, options: PackOptions): PackedMatrix;
  gemm(a: F32Input, b: PackedMatrix, options: IntoArray<GemmOptions>): WasmArray;
  gemm(a: F32Input, b: PackedMatrix, options: IntoJs<GemmOptions>): Float32Array;
  quantizeWeights(w: Float32Array, options: PackOptions): QuantizedWeights;
  quantizeRows(x: Float32Array, options: { rows: number; cols: number }): QuantizedRows;
  packInt8Matrix(weights: QuantizedWeights, options: PackOptions): PackedInt8Matrix;
  int8Gemm(a: F32Input, b: PackedInt8Matrix, options: IntoArray<Int8GemmOptions>): WasmArray;
  int8Gemm(a: F32Input, b: PackedInt8Matrix, options: IntoJs<Int8GemmOptions>): Float32Array;
  int8GemmAccumulators(a: F32Input, b: PackedInt8Matrix, options: { m: number }): Int32Array;
  /**
   * Integer core on already-quantized rows: Σ_k qa[m, k]·qw[k, n] as i32 (ONNX MatMulInteger
   * with zero points 0). qa is [M, K] int8, any value in [-128, 127].
   */
  int8MatMul(qa: Int8Array, b: PackedInt8Matrix, options: { m: number }): Int32Array;
  /**
   * int8 weights packed for the relaxed-SIMD byte dot product (int8DotGemm): ~K·N bytes + 8·N,
   * half of packInt8Matrix's 2·K·N.
   */
  packInt8DotMatrix(weights: QuantizedWeights, options: PackOptions): PackedInt8DotMatrix;
  /** Per-row symmetric 7-bit quantization (q in [-63, 63], scale = max|x| / 63), as inside int8DotGemm. */
  quantizeRows7(x: Float32Array, options: { rows: number; cols: number }): QuantizedRows;
  /**
   * Like int8Gemm, but the product runs on i32x4.relaxed_dot_i8x16_i7x16_add_s (one instruction
   * per 16 multiply-adds with AVX-VNNI / ARM sdot). Activations are quantized to 7 bits
   * (quantizeRows7) by default; with `activationBits: 8` they are int8Gemm's 8-bit values, split
   * into two 7-bit halves (two instructions), and the result equals int8Gemm's bit for bit.
   * Bit-identical in both builds and on every engine; fast only in the relaxed-SIMD build on
   * engines that lower the instruction natively (not Node 20's V8).
   */
  int8DotGemm(a: F32Input, b: PackedInt8DotMatrix, options: IntoArray<Int8DotGemmOptions>): WasmArray;
  int8DotGemm(a: F32Input, b: PackedInt8DotMatrix, options: IntoJs<Int8DotGemmOptions>): Float32Array;
  int8DotGemmAccumulators(
    a: F32Input,
    b: PackedInt8DotMatrix,
    options: { m: number; activationBits?: ActivationBits },
  ): Int32Array;
  /**
   * Integer core of int8DotGemm on already-quantized rows: Σ_k qa·qw as i32. Values in [-64, 63]
   * (7-bit, default) or, with `activationBits: 8`, in [-127, 127].
   */
  int8DotMatMul(
    qa: Int8Array,
    b: PackedInt8DotMatrix,
    options: { m: number; activationBits?: ActivationBits },
  ): Int32Array;
  /**
   * True if int8DotGemm runs the relaxed dot instruction (relaxed-SIMD flavour, and a probe found
   * the engine's code for it exact; false in Node 20, whose V8 miscompiles it in the baseline
   * tier, and in the plain build, where the dot is emulated with i16 dots). Results are the same
   * either way; only the speed differs. Fast where the engine lowers the instruction to one
   * AVX-VNNI / ARM sdot instruction (workerd's V8 on such CPUs).
   */
  int8DotNative(): boolean;
  attention(q: F32Input, k: F32Input, v: F32Input, options: IntoArray<AttentionOptions>): AttentionResult<WasmArray>;
  attention(q: F32Input, k: F32Input, v: F32Input, options: IntoJs<AttentionOptions>): AttentionResult;
  layerNorm(x: F32Input, gamma: Float32Array, beta: Float32Array, options: IntoArray<LayerNormOptions>): WasmArray;
  layerNorm(x: F32Input, gamma: Float32Array, beta: Float32Array, options: IntoJs<LayerNormOptions>): Float32Array;
  gelu(x: Float32Array, approximation?: GeluApproximation, out?: Float32Array): Float32Array;
  biasAdd(x: Float32Array, bias: Float32Array, options: { rows: number }): Float32Array;
  softmax(x: Float32Array, options: { rows: number; cols: number }): Float32Array;
  uploadEmbeddings(tables: EmbeddingTablesInput): EmbeddingTables;
  embed(tables: EmbeddingTables, inputIds: Int32Array, options: EmbedOptions): Float32Array;
  pool(hidden: Float32Array, mode: PoolingMode, options: PoolOptions): Float32Array;
  l2Normalize(x: Float32Array, options: { rows: number; dim: number; eps?: number }): Float32Array;
  cosineSimilarity(queries: Float32Array, corpus: Float32Array, options: { dim: number; eps?: number }): Float32Array;
  topK(scores: Float32Array, k: number, options: { rows: number }): TopKResult;
  /**
   * Benchmark probe: runs `iterations` x 112 flops of 14 independent f32x4 multiply-add chains,
   * as mul then add ("mul+add", the default) or as the fused multiply-add of the relaxed build
   * ("fused"; the same as "mul+add" in the plain build).
   */
  peakProbe(iterations: number, kind?: "mul+add" | "fused"): number;
}

const DEFAULT_BUDGET = 1024 * 1024 * 1024;

/**
 * Instantiates the kernels from an already compiled module (synchronous: Workers import .wasm
 * files as WebAssembly.Module, and compiling bytes at request time is not allowed there).
 */
export function createKernels(module: WebAssembly.Module, options: KernelsOptions = {}): Kernels {
  if (!(module instanceof WebAssembly.Module)) throw new TypeError("module must be a WebAssembly.Module");
  const budget = options.memoryBudgetBytes ?? DEFAULT_BUDGET;
  if (!Number.isSafeInteger(budget) || budget <= 0)
    throw new RangeError(`memoryBudgetBytes must be a positive integer, got ${budget}`);
  const instance = new WebAssembly.Instance(module, {
    env: {
      abort(): never {
        throw new Error("kernels: wasm abort");
      },
    },
  });
  const wasm = instance.exports as unknown as KernelExports;
  const arena = new Arena(wasm.memory, wasm.heapBase(), budget);
  const ctx: KernelContext = { wasm, arena };
  return {
    flavour: options.flavour ?? "simd",
    memory: {
      stats: () => arena.stats(),
      reset: () => arena.reset(),
      resetHighWaterMark: () => arena.resetHighWaterMark(),
    },
    withArrays: (fn) => withArrays(ctx, fn),
    packMatrix: (b, o) => packMatrix(ctx, b, o),
    // The overloads only narrow the return type by the kind of `out`; one implementation serves both.
    gemm: ((a: F32Input, b: PackedMatrix, o: GemmOptions) => gemm(ctx, a, b, o)) as Kernels["gemm"],
    quantizeWeights: (w, o) => quantizeWeights(ctx, w, o),
    quantizeRows: (x, o) => quantizeRows(ctx, x, o),
    packInt8Matrix: (w, o) => packInt8Matrix(ctx, w, o),
    int8Gemm: ((a: F32Input, b: PackedInt8Matrix, o: Int8GemmOptions) => int8Gemm(ctx, a, b, o)) as Kernels["int8Gemm"],
    int8GemmAccumulators: (a, b, o) => int8GemmAccumulators(ctx, a, b, o),
    int8MatMul: (qa, b, o) => int8MatMul(ctx, qa, b, o),
    packInt8DotMatrix: (w, o) => packInt8DotMatrix(ctx, w, o),
    quantizeRows7: (x, o) => quantizeRows7(ctx, x, o),
    int8DotGemm: ((a: F32Input, b: PackedInt8DotMatrix, o: Int8DotGemmOptions) =>
      int8DotGemm(ctx, a, b, o)) as Kernels["int8DotGemm"],
    int8DotGemmAccumulators: (a, b, o) => int8DotGemmAccumulators(ctx, a, b, o),
    int8DotMatMul: (qa, b, o) => int8DotMatMul(ctx, qa, b, o),
    int8DotNative: () => options.flavour === "relaxed-simd" && int8DotProbePasses(ctx),
    attention: ((q: F32Input, k: F32Input, v: F32Input, o: AttentionOptions) =>
      attention(ctx, q, k, v, o)) as Kernels["attention"],
    layerNorm: ((x: F32Input, g: Float32Array, b: Float32Array, o: LayerNormOptions) =>
      layerNorm(ctx, x, g, b, o)) as Kernels["layerNorm"],
    gelu: (x, approximation, out) => gelu(ctx, x, approximation, out),
    biasAdd: (x, bias, o) => biasAdd(ctx, x, bias, o),
    softmax: (x, o) => softmax(ctx, x, o),
    uploadEmbeddings: (t) => uploadEmbeddings(ctx, t),
    embed: (t, ids, o) => embed(ctx, t, ids, o),
    pool: (h, mode, o) => pool(ctx, h, mode, o),
    l2Normalize: (x, o) => l2Normalize(ctx, x, o),
    cosineSimilarity: (q, c, o) => cosineSimilarity(ctx, q, c, o),
    topK: (s, k, o) => topK(ctx, s, k, o),
    peakProbe: (iterations, kind = "mul+add") =>
      kind === "fused" ? wasm.peakFusedChains(iterations) : wasm.peakChains(iterations),
  };
}

/** Picks the relaxed-SIMD module when the engine validates relaxed SIMD, else plain SIMD. */
export function chooseModule(
  modules: { simd: WebAssembly.Module; relaxed?: WebAssembly.Module },
  relaxedSupported: boolean,
): { module: WebAssembly.Module; flavour: KernelFlavour } {
  return relaxedSupported && modules.relaxed
    ? { module: modules.relaxed, flavour: "relaxed-simd" }
    : { module: modules.simd, flavour: "simd" };
}
