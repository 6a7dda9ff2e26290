// LayerNorm over the last dimension with optional fused residual add (post-LN BERT block).
import type { KernelContext } from "./context.ts";
import { checkArray, checkDim } from "./errors.ts";
import { checkF32, checkNoOverlap, type F32Input, finishOutput, inputPtr, outputPtr, WasmArray } from "./wasm-array.ts";

export interface LayerNormOptions {
  readonly rows: number;
  /** Added to x before normalising, [rows, dim]. */
  readonly residual?: F32Input;
  /** Default 1e-12 (BERT). */
  readonly eps?: number;
  /**
   * [rows, dim] to write into instead of a new array; may be x or residual (the kernel reads each
   * element before writing it, so a WasmArray out may be x or residual too).
   */
  readonly out?: F32Input;
}

/** out = LayerNorm(x + residual) · gamma + beta, dim = gamma.length. */
export function layerNorm(
  ctx: KernelContext,
  x: F32Input,
  gamma: Float32Array,
  beta: Float32Array,
  options: LayerNormOptions,
): F32Input {
  const { rows, residual, eps = 1e-12, out: target } = options;
  checkDim("rows", rows);
  if (!(gamma instanceof Float32Array)) throw new TypeError("gamma must be a Float32Array [dim]");
  const dim = gamma.length;
  checkDim("gamma.length", dim);
  checkArray("beta", beta, Float32Array, dim, `[dim=${dim}]`);
  checkF32(ctx, "x", x, rows * dim, `[rows=${rows}, dim=${dim}]`);
  if (residual !== undefined) checkF32(ctx, "residual", residual, rows * dim, `[rows=${rows}, dim=${dim}]`);
  if (target !== undefined) checkF32(ctx, "out", target, rows * dim, `[rows=${rows}, dim=${dim}]`);
  // Row by row, each element is read before it is written: out may be x or residual exactly, but
  // a WasmArray out shifted against them would overwrite rows not yet read.
  for (const [name, input] of [["x", x] as const, ["residual", residual] as const]) {
    if (input && target instanceof WasmArray && input instanceof WasmArray && input.ptr !== target.ptr) {
      checkNoOverlap("out", target, name, input);
    }
  }
  if (!(eps >= 0) || !Number.isFinite(eps)) throw new RangeError(`eps must be finite and >= 0, got ${eps}`);
  const { arena, wasm } = ctx;
  return arena.scoped(() => {
    const xp = inputPtr(ctx, x, "x");
    const rp = residual ? inputPtr(ctx, residual, "residual") : 0;
    const gp = arena.copyIn(gamma, "gamma");
    const bp = arena.copyIn(beta, "beta");
    const out = outputPtr(ctx, target, rows * dim);
    wasm.layerNorm(xp, rp, gp, bp, out, rows, dim, eps);
    return finishOutput(ctx, out, rows * dim, target);
  });
}
