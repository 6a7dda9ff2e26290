// LayerNorm over the last dimension with optional fused residual add (post-LN BERT block).
import type { KernelContext } from "./context.ts";
import { checkArray, checkDim, writeResult } from "./errors.ts";

export interface LayerNormOptions {
  readonly rows: number;
  /** Added to x before normalising, [rows, dim]. */
  readonly residual?: Float32Array;
  /** Default 1e-12 (BERT). */
  readonly eps?: number;
  /** [rows, dim] to write into instead of a new array; may be x or residual (inputs are copied first). */
  readonly out?: Float32Array;
}

/** out = LayerNorm(x + residual) · gamma + beta, dim = gamma.length. */
export function layerNorm(
  ctx: KernelContext,
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  options: LayerNormOptions,
): Float32Array {
  const { rows, residual, eps = 1e-12, out: target } = options;
  checkDim("rows", rows);
  if (!(gamma instanceof Float32Array)) throw new TypeError("gamma must be a Float32Array [dim]");
  const dim = gamma.length;
  checkDim("gamma.length", dim);
  checkArray("beta", beta, Float32Array, dim, `[dim=${dim}]`);
  checkArray("x", x, Float32Array, rows * dim, `[rows=${rows}, dim=${dim}]`);
  if (residual !== undefined) checkArray("residual", residual, Float32Array, rows * dim, `[rows=${rows}, dim=${dim}]`);
  if (target !== undefined) checkArray("out", target, Float32Array, rows * dim, `[rows=${rows}, dim=${dim}]`);
  if (!(eps >= 0) || !Number.isFinite(eps)) throw new RangeError(`eps must be finite and >= 0, got ${eps}`);
  const { arena, wasm } = ctx;
  return arena.scoped(() => {
    const xp = arena.copyIn(x, "x");
    const rp = residual ? arena.copyIn(residual, "residual") : 0;
    const gp = arena.copyIn(gamma, "gamma");
    const bp = arena.copyIn(beta, "beta");
    const out = arena.alloc(rows * dim * 4, "output");
    wasm.layerNorm(xp, rp, gp, bp, out, rows, dim, eps);
    return writeResult(arena.f32(out, rows * dim), target);
  });
}
