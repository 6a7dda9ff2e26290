// f32 GEMM wrapper: prepack weights once, then C = A·B (+bias, activation, +residual).
import { type KernelContext, WasmResident } from "./context.ts";
import { checkArray, checkDim, writeResult } from "./errors.ts";

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

export function packMatrix(ctx: KernelContext, b: Float32Array, options: PackOptions): PackedMatrix {
  const { k, n, transposed = false } = options;
  checkDim("k", k);
  checkDim("n", n);
  checkArray("b", b, Float32Array, k * n, transposed ? `[n=${n}, k=${k}]` : `[k=${k}, n=${n}]`);
  const bytes = ctx.wasm.packedBBytes(k, n);
  const dst = ctx.arena.allocPersistent(bytes, `packed matrix [${k}, ${n}]`);
  ctx.arena.scoped(() => {
    const src = ctx.arena.copyIn(b, "b");
    ctx.wasm.packB(src, k, n, transposed ? 1 : 0, dst);
  });
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
  readonly residual?: Float32Array;
  /** [M, N] to write C into instead of a new array; may be a (or residual): inputs are copied first. */
  readonly out?: Float32Array;
}

/** C[M, N] = activation(A[M, K] · B + bias) + residual. */
export function gemm(ctx: KernelContext, a: Float32Array, b: PackedMatrix, options: GemmOptions): Float32Array {
  WasmResident.checkOwner("b", b, PackedMatrix, ctx);
  const { m, bias, residual, activation = "none", out } = options;
  checkDim("m", m);
  const { k, n } = b;
  checkArray("a", a, Float32Array, m * k, `[m=${m}, k=${k}]`);
  if (bias !== undefined) checkArray("bias", bias, Float32Array, n, `[n=${n}]`);
  if (residual !== undefined) checkArray("residual", residual, Float32Array, m * n, `[m=${m}, n=${n}]`);
  if (out !== undefined) checkArray("out", out, Float32Array, m * n, `[m=${m}, n=${n}]`);
  const code = ACTIVATION_CODES[activation];
  if (code === undefined)
    throw new TypeError(
      `activation must be one of ${Object.keys(ACTIVATION_CODES).join(", ")}, got ${String(activation)}`,
    );
  const { arena, wasm } = ctx;
  return arena.scoped(() => {
    const aPtr = arena.copyIn(a, "a");
    const biasPtr = bias ? arena.copyIn(bias, "bias") : 0;
    const resPtr = residual ? arena.copyIn(residual, "residual") : 0;
    const cPtr = arena.alloc(m * n * 4, "output");
    wasm.gemmF32(aPtr, b.ptr, cPtr, m, n, k, biasPtr, resPtr, code);
    return writeResult(arena.f32(cPtr, m * n), out);
  });
}
