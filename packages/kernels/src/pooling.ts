// Sentence pooling of hidden states [batch, seq, dim] to [batch, dim].
import type { KernelContext } from "./context.ts";
import { checkArray, checkDim, checkMask, type Mask } from "./errors.ts";

export type PoolingMode = "mean" | "max" | "cls";
const MODE_CODES: Record<PoolingMode, number> = { mean: 0, max: 1, cls: 2 };

export interface PoolOptions {
  readonly batch: number;
  readonly seq: number;
  readonly dim: number;
  /** [batch, seq], non-zero = real token. Ignored by "cls". */
  readonly mask?: Mask;
}

/** "mean"/"max" over unmasked tokens (a sequence with none gives zeros); "cls" takes token 0. */
export function pool(ctx: KernelContext, hidden: Float32Array, mode: PoolingMode, options: PoolOptions): Float32Array {
  const { batch, seq, dim, mask } = options;
  checkDim("batch", batch);
  checkDim("seq", seq);
  checkDim("dim", dim);
  const code = MODE_CODES[mode];
  if (code === undefined) throw new TypeError(`mode must be "mean", "max" or "cls", got ${String(mode)}`);
  checkArray("hidden", hidden, Float32Array, batch * seq * dim, `[batch=${batch}, seq=${seq}, dim=${dim}]`);
  if (mask !== undefined) checkMask("mask", mask, batch * seq, `[batch=${batch}, seq=${seq}]`);
  const { arena, wasm } = ctx;
  return arena.scoped(() => {
    const h = arena.copyIn(hidden, "hidden");
    let m = 0;
    if (mask) {
      m = arena.alloc(batch * seq, "mask");
      const bytes = arena.u8(m, batch * seq);
      for (let i = 0; i < bytes.length; i++) bytes[i] = mask[i] !== 0 ? 1 : 0;
    }
    const out = arena.alloc(batch * dim * 4, "output");
    wasm.pool(h, m, out, batch, seq, dim, code);
    return arena.f32(out, batch * dim).slice();
  });
}
