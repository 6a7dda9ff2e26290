// L2 normalisation, cosine similarity and top-k selection.
import { hsum } from "./simd";

// @ts-expect-error: decorator
@inline function dot(a: usize, b: usize, dim: i32): f32 {
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= dim; j += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(a + <usize>j * 4), v128.load(b + <usize>j * 4)));
  let s = hsum(acc);
  for (; j < dim; j++) s += load<f32>(a + <usize>j * 4) * load<f32>(b + <usize>j * 4);
  return s;
}

/** out[r] = x[r] / max(||x[r]||, eps). A zero row stays zero. */
export function l2Normalize(x: usize, out: usize, rows: i32, dim: i32, eps: f32): void {
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>(r * dim) * 4;
    const o = out + <usize>(r * dim) * 4;
    const norm = Mathf.sqrt(dot(xr, xr, dim));
    const inv: f32 = <f32>1 / max(norm, eps);
    const invV = f32x4.splat(inv);
    let j = 0;
    for (; j + 4 <= dim; j += 4) v128.store(o + <usize>j * 4, f32x4.mul(v128.load(xr + <usize>j * 4), invV));
    for (; j < dim; j++) store<f32>(o + <usize>j * 4, load<f32>(xr + <usize>j * 4) * inv);
  }
}

/** scores[q, n] = cos(a[q], b[n]) = a·b / (max(|a|, eps) · max(|b|, eps)). */
export function cosineSimilarity(a: usize, b: usize, out: usize, qRows: i32, nRows: i32, dim: i32, eps: f32): void {
  for (let i = 0; i < qRows; i++) {
    const ai = a + <usize>(i * dim) * 4;
    const na = max(Mathf.sqrt(dot(ai, ai, dim)), eps);
    for (let n = 0; n < nRows; n++) {
      const bn = b + <usize>(n * dim) * 4;
      const nb = max(Mathf.sqrt(dot(bn, bn, dim)), eps);
      store<f32>(out + <usize>(i * nRows + n) * 4, dot(ai, bn, dim) / (na * nb));
    }
  }
}

/**
 * Per row of scores [rows, cols]: the k largest values, descending; ties keep the lower index.
 * NaN scores are never selected ahead of numbers. Insertion into a sorted list of k: O(cols·k).
 */
export function topK(scores: usize, rows: i32, cols: i32, k: i32, outIdx: usize, outVal: usize): void {
  for (let r = 0; r < rows; r++) {
    const row = scores + <usize>(r * cols) * 4;
    const vals = outVal + <usize>(r * k) * 4;
    const idx = outIdx + <usize>(r * k) * 4;
    let filled = 0;
    for (let c = 0; c < cols; c++) {
      const v = load<f32>(row + <usize>c * 4);
      if (v != v) continue;
      if (filled == k && !(v > load<f32>(vals + <usize>(k - 1) * 4))) continue;
      // Shift smaller entries down, insert after entries >= v (stable for ties).
      let pos = filled < k ? filled : k - 1;
      while (pos > 0 && load<f32>(vals + <usize>(pos - 1) * 4) < v) {
        store<f32>(vals + <usize>pos * 4, load<f32>(vals + <usize>(pos - 1) * 4));
        store<i32>(idx + <usize>pos * 4, load<i32>(idx + <usize>(pos - 1) * 4));
        pos--;
      }
      store<f32>(vals + <usize>pos * 4, v);
      store<i32>(idx + <usize>pos * 4, c);
      if (filled < k) filled++;
    }
    // Fewer than k numeric scores: pad with index -1 and -Infinity.
    for (let p = filled; p < k; p++) {
      store<f32>(vals + <usize>p * 4, -Infinity);
      store<i32>(idx + <usize>p * 4, -1);
    }
  }
}
