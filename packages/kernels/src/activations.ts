// Element-wise activations and row ops: GELU, bias add, softmax.
import type { KernelContext } from "./context.ts";
import { checkArray, checkDim, writeResult } from "./errors.ts";

export type GeluApproximation = "erf" | "tanh";

/**
 * GELU: "erf" = x/2·(1+erf(x/√2)) (exact), "tanh" = the tanh approximation. `out` (same length,
 * may be x itself) receives the result instead of a new array.
 */
export function gelu(
  ctx: KernelContext,
  x: Float32Array,
  approximation: GeluApproximation = "erf",
  out?: Float32Array,
): Float32Array {
  if (!(x instanceof Float32Array)) throw new TypeError("x must be a Float32Array");
  if (approximation !== "erf" && approximation !== "tanh")
    throw new TypeError(`approximation must be "erf" or "tanh", got ${String(approximation)}`);
  if (out !== undefined) checkArray("out", out, Float32Array, x.length, `[${x.length}] like x`);
  if (x.length === 0) return out ?? new Float32Array(0);
  const { arena, wasm } = ctx;
  return arena.scoped(() => {
    const p = arena.copyIn(x, "x");
    wasm.gelu(p, p, x.length, approximation === "erf" ? 0 : 1);
    return writeResult(arena.f32(p, x.length), out);
  });
}

/** out[r, c] = x[r, c] + bias[c], cols = bias.length. */
export function biasAdd(
  ctx: KernelContext,
  x: Float32Array,
  bias: Float32Array,
  options: { rows: number },
): Float32Array {
  const { rows } = options;
  checkDim("rows", rows);
  if (!(bias instanceof Float32Array)) throw new TypeError("bias must be a Float32Array [cols]");
  const cols = bias.length;
  checkDim("bias.length", cols);
  checkArray("x", x, Float32Array, rows * cols, `[rows=${rows}, cols=${cols}]`);
  const { arena, wasm } = ctx;
  return arena.scoped(() => {
    const xp = arena.copyIn(x, "x");
    const bp = arena.copyIn(bias, "bias");
    wasm.biasAdd(xp, bp, xp, rows, cols);
    return arena.f32(xp, rows * cols).slice();
  });
}

/** Row-wise softmax of [rows, cols]. A row that is entirely -Infinity becomes all zeros. */
export function softmax(ctx: KernelContext, x: Float32Array, options: { rows: number; cols: number }): Float32Array {
  const { rows, cols } = options;
  checkDim("rows", rows);
  checkDim("cols", cols);
  checkArray("x", x, Float32Array, rows * cols, `[rows=${rows}, cols=${cols}]`);
  const { arena, wasm } = ctx;
  return arena.scoped(() => {
    const xp = arena.copyIn(x, "x");
    wasm.softmax(xp, xp, rows, cols);
    return arena.f32(xp, rows * cols).slice();
  });
}
