// int8 GEMM wrapper: per-output-channel int8 weights, per-row dynamic activation quantization,
// i32 accumulation, dequantized f32 output (+bias). Plus the quantization routines.
import { type KernelContext, WasmResident } from "./context.ts";
import { checkArray, checkDim, checkFinite } from "./errors.ts";
import type { PackOptions } from "./gemm.ts";
import { checkF32, type F32Input, finishOutput, inputPtr, WasmArray } from "./wasm-array.ts";
import type { QuantizedGemmKernel } from "./wasm-exports.ts";

export interface QuantizedWeights {
  /** Same layout as the f32 source ([K, N], or [N, K] when transposed). */
  readonly values: Int8Array;
  /** One symmetric scale per output channel (N). */
  readonly scales: Float32Array;
}

export interface QuantizedRows {
  /** [rows, cols] int8 in [-127, 127]. */
  readonly values: Int8Array;
  /** One symmetric scale per row; 0 for an all-zero row. */
  readonly scales: Float32Array;
}

export class PackedInt8Matrix extends WasmResident {
  readonly k: number;
  readonly n: number;
  /** @internal */ readonly scalesPtr: number;
  /** @internal */
  constructor(owner: KernelContext, ptr: number, scalesPtr: number, k: number, n: number) {
    super(owner, ptr);
    this.scalesPtr = scalesPtr;
    this.k = k;
    this.n = n;
  }
}

/** Symmetric per-output-channel quantization: scale[c] = max|w[:, c]| / 127, q = round-half-even(w / scale). */
export function quantizeWeights(ctx: KernelContext, w: Float32Array, options: PackOptions): QuantizedWeights {
  const { k, n, transposed = false } = options;
  checkDim("k", k);
  checkDim("n", n);
  checkArray("weights", w, Float32Array, k * n, transposed ? `[n=${n}, k=${k}]` : `[k=${k}, n=${n}]`);
  checkFinite("weights", w);
  const { arena, wasm } = ctx;
  return arena.scoped(() => {
    const src = arena.copyIn(w, "weights");
    const q = arena.alloc(k * n, "quantized weights");
    const s = arena.alloc(n * 4, "weight scales");
    wasm.quantizeWeights(src, k, n, transposed ? 1 : 0, q, s);
    return { values: arena.i8(q, k * n).slice(), scales: arena.f32(s, n).slice() };
  });
}

/** Per-row symmetric quantization of activations, as done on the fly inside int8Gemm. */
export function quantizeRows(
  ctx: KernelContext,
  x: Float32Array,
  options: { rows: number; cols: number },
): QuantizedRows {
  return quantizeRowsWith(ctx, x, options, "quantizeRows");
}

/** quantizeRows (8-bit) or quantizeRows7 (7-bit, int8DotGemm's) on checked input, int8 values out. */
export function quantizeRowsWith(
  ctx: KernelContext,
  x: Float32Array,
  options: { rows: number; cols: number },
  quantizer: "quantizeRows" | "quantizeRows7",
): QuantizedRows {
  const { rows, cols } = options;
  checkDim("rows", rows);
  checkDim("cols", cols);
  checkArray("x", x, Float32Array, rows * cols, `[rows=${rows}, cols=${cols}]`);
  checkFinite("x", x);
  const { arena, wasm } = ctx;
  return arena.scoped(() => {
    const src = arena.copyIn(x, "x");
    const q = arena.alloc(rows * cols, "quantized rows");
    const s = arena.alloc(rows * 4, "row scales");
    wasm[quantizer](src, rows, cols, q, 0, s);
    return { values: arena.i8(q, rows * cols).slice(), scales: arena.f32(s, rows).slice() };
  });
}

function allFinite(values: Float32Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

export function packInt8Matrix(ctx: KernelContext, weights: QuantizedWeights, options: PackOptions): PackedInt8Matrix {
  const { k, n, transposed = false } = options;
  checkDim("k", k);
  checkDim("n", n);
  checkArray("weights.values", weights.values, Int8Array, k * n, transposed ? `[n=${n}, k=${k}]` : `[k=${k}, n=${n}]`);
  checkArray("weights.scales", weights.scales, Float32Array, n, `[n=${n}]`);
  checkFinite("weights.scales", weights.scales);
  const { arena, wasm } = ctx;
  const packed = arena.allocPersistent(wasm.packedInt8Bytes(k, n), `packed int8 matrix [${k}, ${n}]`);
  const scales = arena.allocPersistent(n * 4, `int8 weight scales [${n}]`);
  arena.f32(scales, n).set(weights.scales);
  arena.scoped(() => {
    const src = arena.copyIn(weights.values, "weights.values");
    wasm.packInt8(src, k, n, transposed ? 1 : 0, packed);
  });
  return new PackedInt8Matrix(ctx, packed, scales, k, n);
}

export interface Int8GemmOptions {
  readonly m: number;
  readonly bias?: Float32Array;
  /**
   * [M, N] to write the f32 result into instead of a new array; may be a (a is quantized before
   * anything is written), also as WasmArrays.
   */
  readonly out?: F32Input;
  /**
   * GELU applied to the dequantised result (after the bias) while it is still in wasm memory:
   * the same values as calling gelu() on the returned array, without copying it out and back in.
   */
  readonly activation?: "none" | "gelu" | "gelu_tanh";
}

const INT8_ACTIVATIONS = { none: -1, gelu: 0, gelu_tanh: 1 } as const;

/** The wasm gelu approximation code for an int8 GEMM's activation (-1: none), checked. */
export function int8ActivationCode(activation: Int8GemmOptions["activation"]): number {
  const code = INT8_ACTIVATIONS[activation ?? "none"];
  if (code === undefined) {
    throw new TypeError(`activation must be one of none, gelu, gelu_tanh, got ${String(activation)}`);
  }
  return code;
}

/** Where the int8 GEMMs differ: the activation quantiser (layout and bits) and the multiply kernel. */
export interface Int8Path {
  quantizedBytes(m: number, k: number): number;
  quantize(a: number, m: number, k: number, quantized: number, rowScales: number): void;
  multiply: QuantizedGemmKernel;
}

/**
 * Quantize the rows of `a`, multiply by the packed weights and dequantize (+ bias, + GELU), or
 * keep the raw i32 sums; returns the output's pointer in the caller's arena scope (a WasmArray
 * `options.out`'s own for an f32 result). The caller has checked that `b` belongs to this context.
 * `a` is fully quantized before anything is written, so out may overlap it.
 */
export function runQuantizedGemm(
  ctx: KernelContext,
  a: F32Input,
  b: { readonly ptr: number; readonly scalesPtr: number; readonly k: number; readonly n: number },
  options: Int8GemmOptions,
  raw: boolean,
  path: Int8Path,
): number {
  const { m, bias } = options;
  checkDim("m", m);
  const { k, n } = b;
  checkF32(ctx, "a", a, m * k, `[m=${m}, k=${k}]`);
  if (bias !== undefined) checkArray("bias", bias, Float32Array, n, `[n=${n}]`);
  const activation = raw ? -1 : int8ActivationCode(options.activation);
  const { arena, wasm } = ctx;
  const aPtr = inputPtr(ctx, a, "a");
  const quantized = arena.alloc(path.quantizedBytes(m, k), "quantized activations");
  const rowScales = arena.alloc(m * 4, "activation scales");
  path.quantize(aPtr, m, k, quantized, rowScales);
  // A row holding Inf or NaN gets a non-finite scale, so checking the M scales replaces a
  // JavaScript scan of all M·K inputs; checkFinite then names the offending element.
  if (!allFinite(arena.f32(rowScales, m))) checkFinite("a", a instanceof WasmArray ? a.view() : a);
  const biasPtr = bias ? arena.copyIn(bias, "bias") : 0;
  const out = !raw && options.out instanceof WasmArray ? options.out.ptr : arena.alloc(m * n * 4, "output");
  path.multiply(quantized, rowScales, b.ptr, b.scalesPtr, biasPtr, out, m, n, k, raw ? 1 : 0);
  if (activation >= 0) wasm.gelu(out, out, m * n, activation);
  return out;
}

/** An int8 GEMM's f32 result: into `options.out` (checked first) or a new array. */
export function f32Result(ctx: KernelContext, options: Int8GemmOptions, n: number, run: () => number): F32Input {
  const { m, out } = options;
  if (out !== undefined) checkF32(ctx, "out", out, m * n, `[m=${m}, n=${n}]`);
  return ctx.arena.scoped(() => finishOutput(ctx, run(), m * n, out));
}

/** An int8 GEMM's raw i32 sums, copied out. */
export function i32Result(ctx: KernelContext, m: number, n: number, run: () => number): Int32Array {
  return ctx.arena.scoped(() => ctx.arena.i32(run(), m * n).slice());
}

function runInt8(ctx: KernelContext, a: F32Input, b: PackedInt8Matrix, options: Int8GemmOptions, raw: boolean): number {
  WasmResident.checkOwner("b", b, PackedInt8Matrix, ctx);
  const { wasm } = ctx;
  return runQuantizedGemm(ctx, a, b, options, raw, {
    quantizedBytes: wasm.quantizedRowsBytes,
    quantize: (x, m, k, q16, scales) => wasm.quantizeRows(x, m, k, 0, q16, scales),
    multiply: wasm.int8Gemm,
  });
}

/** out[M, N] = (qa · qw) · rowScale · colScale + bias, with qa = quantizeRows(a). */
export function int8Gemm(ctx: KernelContext, a: F32Input, b: PackedInt8Matrix, options: Int8GemmOptions): F32Input {
  WasmResident.checkOwner("b", b, PackedInt8Matrix, ctx);
  return f32Result(ctx, options, b.n, () => runInt8(ctx, a, b, options, false));
}

/** The raw i32 accumulators qa · qw of int8Gemm (for testing and debugging). */
export function int8GemmAccumulators(
  ctx: KernelContext,
  a: F32Input,
  b: PackedInt8Matrix,
  options: { m: number },
): Int32Array {
  return i32Result(ctx, options.m, b.n, () => runInt8(ctx, a, b, options, true));
}

/**
 * The integer core alone: out[m, n] = Σ_k qa[m, k] · qw[k, n] as i32, for int8 activations that
 * are already quantized ([M, K] row-major, any int8 value including -128), times the packed int8
 * weights. This is ONNX MatMulInteger with both zero points 0 (a u8 input with zero point 128 is
 * `qa = a - 128`). No scales, no bias: dequantize with the row and weight scales yourself, or use
 * int8Gemm, which quantizes f32 rows and dequantizes in one call.
 */
export function int8MatMul(ctx: KernelContext, qa: Int8Array, b: PackedInt8Matrix, options: { m: number }): Int32Array {
  WasmResident.checkOwner("b", b, PackedInt8Matrix, ctx);
  const { m } = options;
  checkDim("m", m);
  const { k, n } = b;
  checkArray("qa", qa, Int8Array, m * k, `[m=${m}, k=${k}]`);
  const { arena, wasm } = ctx;
  return arena.scoped(() => {
    const src = arena.copyIn(qa, "qa");
    const q16 = arena.alloc(wasm.quantizedRowsBytes(m, k), "widened activations");
    wasm.packQuantizedRows(src, m, k, q16);
    const out = arena.alloc(m * n * 4, "output");
    wasm.int8Gemm(q16, 0, b.ptr, b.scalesPtr, 0, out, m, n, k, 1);
    return arena.i32(out, m * n).slice();
  });
}
