// L2 normalisation, cosine similarity and top-k.
import type { KernelContext } from "./context.ts";
import { checkArray, checkDim } from "./errors.ts";

const DEFAULT_EPS = 1e-12;

/** x[r] / max(||x[r]||, eps) for each row of [rows, dim]. */
export function l2Normalize(
  ctx: KernelContext,
  x: Float32Array,
  options: { rows: number; dim: number; eps?: number },
): Float32Array {
  const { rows, dim, eps = DEFAULT_EPS } = options;
  checkDim("rows", rows);
  checkDim("dim", dim);
  checkArray("x", x, Float32Array, rows * dim, `[rows=${rows}, dim=${dim}]`);
  const { arena, wasm } = ctx;
  return arena.scoped(() => {
    const p = arena.copyIn(x, "x");
    wasm.l2Normalize(p, p, rows, dim, eps);
    return arena.f32(p, rows * dim).slice();
  });
}

/** scores[i, j] = cos(queries[i], corpus[j]); queries [q, dim], corpus [n, dim] → [q, n]. */
export function cosineSimilarity(
  ctx: KernelContext,
  queries: Float32Array,
  corpus: Float32Array,
  options: { dim: number; eps?: number },
): Float32Array {
  const { dim, eps = DEFAULT_EPS } = options;
  checkDim("dim", dim);
  if (!(queries instanceof Float32Array) || queries.length === 0 || queries.length % dim !== 0) {
    throw new RangeError(
      `queries must be a Float32Array [q, dim=${dim}], got length ${(queries as Float32Array)?.length}`,
    );
  }
  if (!(corpus instanceof Float32Array) || corpus.length === 0 || corpus.length % dim !== 0) {
    throw new RangeError(
      `corpus must be a Float32Array [n, dim=${dim}], got length ${(corpus as Float32Array)?.length}`,
    );
  }
  const q = queries.length / dim;
  const n = corpus.length / dim;
  const { arena, wasm } = ctx;
  return arena.scoped(() => {
    const a = arena.copyIn(queries, "queries");
    const b = arena.copyIn(corpus, "corpus");
    const out = arena.alloc(q * n * 4, "scores");
    wasm.cosineSimilarity(a, b, out, q, n, dim, eps);
    return arena.f32(out, q * n).slice();
  });
}

export interface TopKResult {
  /** [rows, k]; -1 where a row has fewer than k numeric scores. */
  readonly indices: Int32Array;
  /** [rows, k], descending; ties keep the lower index first. */
  readonly values: Float32Array;
}

/** The k largest scores per row of [rows, cols] (NaN never selected). */
export function topK(ctx: KernelContext, scores: Float32Array, k: number, options: { rows: number }): TopKResult {
  const { rows } = options;
  checkDim("rows", rows);
  checkDim("k", k);
  if (!(scores instanceof Float32Array) || scores.length === 0 || scores.length % rows !== 0) {
    throw new RangeError(
      `scores must be a Float32Array [rows=${rows}, cols], got length ${(scores as Float32Array)?.length}`,
    );
  }
  const cols = scores.length / rows;
  if (k > cols) throw new RangeError(`k=${k} exceeds the ${cols} columns of scores [rows=${rows}, cols=${cols}]`);
  const { arena, wasm } = ctx;
  return arena.scoped(() => {
    const s = arena.copyIn(scores, "scores");
    const idx = arena.alloc(rows * k * 4, "indices");
    const val = arena.alloc(rows * k * 4, "values");
    wasm.topK(s, rows, cols, k, idx, val);
    return { indices: arena.i32(idx, rows * k).slice(), values: arena.f32(val, rows * k).slice() };
  });
}
