// Reference LayerNorm with residual, float64, biased variance (ONNX LayerNormalization).
export function referenceLayerNorm(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  rows: number,
  eps = 1e-12,
  residual?: Float32Array,
): Float32Array {
  const dim = gamma.length;
  const out = new Float32Array(rows * dim);
  const row = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    let mean = 0;
    for (let j = 0; j < dim; j++) {
      row[j] = x[r * dim + j] + (residual ? residual[r * dim + j] : 0);
      mean += row[j];
    }
    mean /= dim;
    let variance = 0;
    for (let j = 0; j < dim; j++) variance += (row[j] - mean) ** 2;
    const inv = 1 / Math.sqrt(variance / dim + eps);
    for (let j = 0; j < dim; j++) out[r * dim + j] = (row[j] - mean) * inv * gamma[j] + beta[j];
  }
  return out;
}
