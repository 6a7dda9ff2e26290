// Reference L2 normalisation, cosine similarity and top-k.
const norm = (x: Float32Array, offset: number, dim: number): number => {
  let s = 0;
  for (let j = 0; j < dim; j++) s += x[offset + j] * x[offset + j];
  return Math.sqrt(s);
};

export function referenceL2Normalize(x: Float32Array, rows: number, dim: number, eps = 1e-12): Float32Array {
  const out = new Float32Array(rows * dim);
  for (let r = 0; r < rows; r++) {
    const n = Math.max(norm(x, r * dim, dim), eps);
    for (let j = 0; j < dim; j++) out[r * dim + j] = x[r * dim + j] / n;
  }
  return out;
}

export function referenceCosineSimilarity(a: Float32Array, b: Float32Array, dim: number, eps = 1e-12): Float32Array {
  const q = a.length / dim;
  const n = b.length / dim;
  const out = new Float32Array(q * n);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < n; j++) {
      let d = 0;
      for (let t = 0; t < dim; t++) d += a[i * dim + t] * b[j * dim + t];
      out[i * n + j] = d / (Math.max(norm(a, i * dim, dim), eps) * Math.max(norm(b, j * dim, dim), eps));
    }
  }
  return out;
}

/** k largest per row, descending, ties by lower index; NaN skipped; pads with -1 / -Infinity. */
export function referenceTopK(
  scores: Float32Array,
  rows: number,
  k: number,
): { indices: Int32Array; values: Float32Array } {
  const cols = scores.length / rows;
  const indices = new Int32Array(rows * k).fill(-1);
  const values = new Float32Array(rows * k).fill(-Infinity);
  for (let r = 0; r < rows; r++) {
    const order = Array.from({ length: cols }, (_, c) => c)
      .filter((c) => !Number.isNaN(scores[r * cols + c]))
      .sort((x, y) => scores[r * cols + y] - scores[r * cols + x] || x - y)
      .slice(0, k);
    order.forEach((c, p) => {
      indices[r * k + p] = c;
      values[r * k + p] = scores[r * cols + c];
    });
  }
  return { indices, values };
}
