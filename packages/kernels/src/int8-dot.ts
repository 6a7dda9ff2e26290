// int8 GEMM on the relaxed-SIMD byte dot product (see assembly/int8dot.ts): int8 weights (the
// same QuantizedWeights as int8Gemm, packed at 1 byte per weight instead of 2), activations
// quantized per row to 7 bits (q in [-63, 63], scale = max|x| / 63), i32 accumulation,
// dequantized f32 output. Fast where the engine lowers i32x4.relaxed_dot_i8x16_i7x16_add_s to
// one instruction (AVX-VNNI, ARM sdot: recent V8, workerd); exact but slow in the plain SIMD build.
import { type KernelContext, WasmResident } from "./context.ts";
import { checkArray, checkDim, checkFinite } from "./errors.ts";
import type { PackOptions } from "./gemm.ts";
import {
  f32Result,
  type Int8GemmOptions,
  i32Result,
  type QuantizedRows,
  type QuantizedWeights,
  quantizeRowsWith,
  runQuantizedGemm,
} from "./int8-gemm.ts";
import type { F32Input } from "./wasm-array.ts";
import type { QuantizedGemmKernel } from "./wasm-exports.ts";

export class PackedInt8DotMatrix extends WasmResident {
  readonly k: number;
  readonly n: number;
  /** Bytes of wasm memory held (packed weights, column corrections and scales). */
  readonly bytes: number;
  /** @internal */ readonly scalesPtr: number;
  /** @internal */
  constructor(owner: KernelContext, ptr: number, scalesPtr: number, k: number, n: number, bytes: number) {
    super(owner, ptr);
    this.scalesPtr = scalesPtr;
    this.k = k;
    this.n = n;
    this.bytes = bytes;
  }
}

/** Activation precision of the dot path: 7-bit (one dot instruction) or 8-bit (two, split). */
export type ActivationBits = 7 | 8;

export interface Int8DotGemmOptions extends Int8GemmOptions {
  /**
   * 7 (default): activations quantized to 7 bits (quantizeRows7), one dot instruction per 16
   * multiply-adds. 8: quantized as int8Gemm does (quantizeRows, 8 bits) and split into two 7-bit
   * halves, two instructions; the result is int8Gemm's, bit for bit.
   */
  readonly activationBits?: ActivationBits;
}

interface DotGemm {
  /** On 7-bit activations (quantizeRows7's layout). */
  seven: QuantizedGemmKernel;
  /** On 8-bit activations split in two (quantizeRowsSplit's layout). */
  eight: QuantizedGemmKernel;
}
const dotKernels = new WeakMap<KernelContext, DotGemm>();

function checkBits(bits: unknown): ActivationBits {
  if (bits === undefined) return 7;
  if (bits !== 7 && bits !== 8) throw new TypeError(`activationBits must be 7 or 8, got ${String(bits)}`);
  return bits;
}

/**
 * The GEMM entry to use on this engine: int8GemmDot, unless its compiled code gives wrong sums.
 * V8 11.3 (Node 20, --experimental-wasm-relaxed-simd) miscompiles the relaxed dot in its
 * baseline compiler (Liftoff) under register pressure; TurboFan and newer V8 (workerd) are
 * right. The probe runs on the first call, i.e. on the baseline code, and compares a 12 × 8 × 8
 * product (two full row blocks) with exact sums computed here; on a mismatch this instance uses
 * int8GemmDotExact (same results through i16 dots, slower) from then on.
 */
function dotKernel(ctx: KernelContext): DotGemm {
  let kernel = dotKernels.get(ctx);
  if (kernel) return kernel;
  const { arena, wasm } = ctx;
  const [m, k, n] = [12, 8, 8];
  const qa = Int8Array.from({ length: m * k }, (_, i) => ((i * 37 + 11) % 127) - 63);
  const w = Int8Array.from({ length: k * n }, (_, i) => ((i * 53 + 7) % 255) - 127);
  const want = new Int32Array(m * n);
  for (let r = 0; r < m; r++)
    for (let c = 0; c < n; c++) for (let j = 0; j < k; j++) want[r * n + c] += qa[r * k + j] * w[j * n + c];
  const ok = arena.scoped(() => {
    const packed = arena.alloc(wasm.packedInt8DotBytes(k, n), "probe weights");
    wasm.packInt8Dot(arena.copyIn(w, "probe weights"), k, n, 0, packed);
    const q7 = arena.alloc(wasm.quantizedRows7Bytes(m, k), "probe activations");
    wasm.packQuantizedRows7(arena.copyIn(qa, "probe activations"), m, k, q7);
    const out = arena.alloc(m * n * 4, "probe output");
    wasm.int8GemmDot(q7, 0, packed, 0, 0, out, m, n, k, 1);
    const got = arena.i32(out, m * n);
    return got.every((v, i) => v === want[i]);
  });
  kernel = ok
    ? { seven: wasm.int8GemmDot, eight: wasm.int8GemmDotSplit }
    : { seven: wasm.int8GemmDotExact, eight: wasm.int8GemmDotSplitExact };
  dotKernels.set(ctx, kernel);
  return kernel;
}

/** Whether the probe found int8GemmDot's compiled code exact on this instance (see dotKernel). */
export function int8DotProbePasses(ctx: KernelContext): boolean {
  return dotKernel(ctx).seven === ctx.wasm.int8GemmDot;
}

/** Packs int8 weights (from quantizeWeights) for int8DotGemm: about K·N bytes + 8·N. */
export function packInt8DotMatrix(
  ctx: KernelContext,
  weights: QuantizedWeights,
  options: PackOptions,
): PackedInt8DotMatrix {
  const { k, n, transposed = false } = options;
  checkDim("k", k);
  checkDim("n", n);
  checkArray("weights.values", weights.values, Int8Array, k * n, transposed ? `[n=${n}, k=${k}]` : `[k=${k}, n=${n}]`);
  checkArray("weights.scales", weights.scales, Float32Array, n, `[n=${n}]`);
  checkFinite("weights.scales", weights.scales);
  const { arena, wasm } = ctx;
  const packedBytes = wasm.packedInt8DotBytes(k, n);
  const packed = arena.allocPersistent(packedBytes, `packed int8 dot matrix [${k}, ${n}]`);
  const scales = arena.allocPersistent(n * 4, `int8 weight scales [${n}]`);
  arena.f32(scales, n).set(weights.scales);
  arena.scoped(() => {
    const src = arena.copyIn(weights.values, "weights.values");
    wasm.packInt8Dot(src, k, n, transposed ? 1 : 0, packed);
  });
  return new PackedInt8DotMatrix(ctx, packed, scales, k, n, packedBytes + n * 4);
}

/** Per-row symmetric 7-bit quantization, as done on the fly inside int8DotGemm: q in [-63, 63]. */
export function quantizeRows7(
  ctx: KernelContext,
  x: Float32Array,
  options: { rows: number; cols: number },
): QuantizedRows {
  return quantizeRowsWith(ctx, x, options, "quantizeRows7");
}

function runDot(
  ctx: KernelContext,
  a: F32Input,
  b: PackedInt8DotMatrix,
  options: Int8DotGemmOptions,
  raw: boolean,
): number {
  WasmResident.checkOwner("b", b, PackedInt8DotMatrix, ctx);
  const { wasm } = ctx;
  const kernels = dotKernel(ctx);
  if (checkBits(options.activationBits) === 8) {
    return runQuantizedGemm(ctx, a, b, options, raw, {
      quantizedBytes: wasm.quantizedRowsSplitBytes,
      quantize: (x, m, k, split, scales) => wasm.quantizeRowsSplit(x, m, k, split, scales),
      multiply: kernels.eight,
    });
  }
  return runQuantizedGemm(ctx, a, b, options, raw, {
    quantizedBytes: wasm.quantizedRows7Bytes,
    quantize: (x, m, k, q7, scales) => wasm.quantizeRows7(x, m, k, 0, q7, scales),
    multiply: kernels.seven,
  });
}

/**
 * out[M, N] = (qa · qw) · rowScale · colScale + bias, with qa = quantizeRows7(a) (7-bit), or
 * quantizeRows(a) with activationBits 8. `options.out` as for int8Gemm: the result is written
 * there (it may be `a`).
 */
export function int8DotGemm(
  ctx: KernelContext,
  a: F32Input,
  b: PackedInt8DotMatrix,
  options: Int8DotGemmOptions,
): F32Input {
  WasmResident.checkOwner("b", b, PackedInt8DotMatrix, ctx);
  return f32Result(ctx, options, b.n, () => runDot(ctx, a, b, options, false));
}

/** The raw i32 accumulators qa · qw of int8DotGemm. */
export function int8DotGemmAccumulators(
  ctx: KernelContext,
  a: F32Input,
  b: PackedInt8DotMatrix,
  options: { m: number; activationBits?: ActivationBits },
): Int32Array {
  return i32Result(ctx, options.m, b.n, () => runDot(ctx, a, b, options, true));
}

/**
 * Integer core on already-quantized rows: Σ_k qa[m, k] · qw[k, n] as i32 (ONNX MatMulInteger
 * with zero points 0). qa is [M, K] with every value in [-64, 63] (7-bit, the default;
 * quantizeRows7 gives [-63, 63]) or, with activationBits 8, in [-127, 127]. A value out of range
 * throws, naming its index.
 */
export function int8DotMatMul(
  ctx: KernelContext,
  qa: Int8Array,
  b: PackedInt8DotMatrix,
  options: { m: number; activationBits?: ActivationBits },
): Int32Array {
  WasmResident.checkOwner("b", b, PackedInt8DotMatrix, ctx);
  const { m } = options;
  checkDim("m", m);
  const bits = checkBits(options.activationBits);
  const { k, n } = b;
  checkArray("qa", qa, Int8Array, m * k, `[m=${m}, k=${k}]`);
  const { arena, wasm } = ctx;
  return arena.scoped(() => {
    const src = arena.copyIn(qa, "qa");
    const eight = bits === 8;
    const layout = arena.alloc(
      eight ? wasm.quantizedRowsSplitBytes(m, k) : wasm.quantizedRows7Bytes(m, k),
      "activations",
    );
    const bad = eight ? wasm.packQuantizedRowsSplit(src, m, k, layout) : wasm.packQuantizedRows7(src, m, k, layout);
    if (bad !== 0) {
      const range = eight ? "[-127, 127]" : "[-64, 63]";
      throw new RangeError(`qa[${bad - 1}] is ${qa[bad - 1]}; int8DotMatMul needs values in ${range}`);
    }
    const out = arena.alloc(m * n * 4, "output");
    const kernels = dotKernel(ctx);
    (eight ? kernels.eight : kernels.seven)(layout, 0, b.ptr, b.scalesPtr, 0, out, m, n, k, 1);
    return arena.i32(out, m * n).slice();
  });
}
