// f32 GEMM wrapper: prepack weights once, then C = A·B (+bias, activation, +residual).
import { type KernelContext, WasmResident } from "./context.ts";
import { checkArray, checkDim } from "./errors.ts";
import { checkF32, checkNoOverlap, type F32Input, finishOutput, inputPtr, outputPtr } from "./wasm-array.ts";

export type Activation = "none" | "gelu" | "gelu_tanh";
const ACTIVATION_CODES: Record<Activation, number> = { none: 0, gelu: 1, gelu_tanh: 2 };

export interface PackOptions {
  /** Rows of B (inner dimension). */
  readonly k: number;
  /** Columns of B (outputs). */
  readonly n: number;
  /** If true, the source is Bᵀ stored row-major as [N, K] (PyTorch Linear weight layout). */
  readonly transposed?: boolean;
}

/** B prepacked into 8-column panels in wasm memory. */
export class PackedMatrix extends WasmResident {
  readonly k: number;
  readonly n: number;
  /** @internal */
  constructor(owner: KernelContext, ptr: number, k: number, n: number) {
    super(owner, ptr);
    this.k = k;
    this.n = n;
  }
}

/**
 * Most bytes of a transposed source copied into wasm scratch at once while packing: the arena keeps
 * the size it grew to, so a large matrix is packed in blocks of columns instead.
 */
export const PACK_CHUNK_BYTES = 4 * 1024 * 1024;

export function packMatrix(ctx: KernelContext, b: Float32Array, options: PackOptions): PackedMatrix {
  const { k, n, transposed = false } = options;
  checkDim("k", k);
  checkDim("n", n);
  checkArray("b", b, Float32Array, k * n, transposed ? `[n=${n}, k=${k}]` : `[k=${k}, n=${n}]`);
  const { arena, wasm } = ctx;
  const dst = arena.allocPersistent(wasm.packedBBytes(k, n), `packed matrix [${k}, ${n}]`);
  if (transposed) {
    // Bᵀ rows are B's columns, contiguous in the source: pack whole 8-column panels per block.
    const step = Math.max(8, Math.floor(PACK_CHUNK_BYTES / (k * 4 * 8)) * 8);
    for (let c0 = 0; c0 < n; c0 += step) {
      const cols = Math.min(step, n - c0);
      arena.scoped(() => {
        const src = arena.copyIn(b.subarray(c0 * k, (c0 + cols) * k), "b");
        wasm.packB(src, k, cols, 1, dst + (c0 / 8) * k * 8 * 4);
      });
    }
  } else {
    arena.scoped(() => wasm.packB(arena.copyIn(b, "b"), k, n, 0, dst));
  }
  return new PackedMatrix(ctx, dst, k, n);
}

export interface GemmOptions {
  /** Rows of A and C. */
  readonly m: number;
  /** Added to every row of C, length N. */
  readonly bias?: Float32Array;
  /** Applied after the bias. */
  readonly activation?: Activation;
  /** [M, N], added last (after the activation). */
  readonly residual?: F32Input;
  /**
   * [M, N] to write C into instead of a new array. A Float32Array out may be a or residual (inputs
   * are copied first); a WasmArray out is written in place and may be residual but not overlap a.
   */
  readonly out?: F32Input;
}

/** C[M, N] = activation(A[M, K] · B + bias) + residual; returns `out` when given. */
export function gemm(ctx: KernelContext, a: F32Input, b: PackedMatrix, options: GemmOptions): F32Input {
  WasmResident.checkOwner("b", b, PackedMatrix, ctx);
  const { m, bias, residual, activation = "none", out } = options;
  checkDim("m", m);
  const { k, n } = b;
  checkF32(ctx, "a", a, m * k, `[m=${m}, k=${k}]`);
  if (bias !== undefined) checkArray("bias", bias, Float32Array, n, `[n=${n}]`);
  if (residual !== undefined) checkF32(ctx, "residual", residual, m * n, `[m=${m}, n=${n}]`);
  if (out !== undefined) checkF32(ctx, "out", out, m * n, `[m=${m}, n=${n}]`);
  // The kernel reads every row of A for each 8-column strip it writes; the residual is read at
  // the element it writes, so out may be the residual itself.
  checkNoOverlap("out", out, "a", a);
  if (residual !== undefined && out !== residual) checkNoOverlap("out", out, "residual", residual);
  const code = ACTIVATION_CODES[activation];
  if (code === undefined)
    throw new TypeError(
      `activation must be one of ${Object.keys(ACTIVATION_CODES).join(", ")}, got ${String(activation)}`,
    );
  const { arena, wasm } = ctx;
  return arena.scoped(() => {
    const aPtr = inputPtr(ctx, a, "a");
    const biasPtr = bias ? arena.copyIn(bias, "bias") : 0;
    const resPtr = residual ? inputPtr(ctx, residual, "residual") : 0;
    const cPtr = outputPtr(ctx, out, m * n);
    wasm.gemmF32(aPtr, b.ptr, cPtr, m, n, k, biasPtr, resPtr, code);
    return finishOutput(ctx, cPtr, m * n, out);
  });
}
