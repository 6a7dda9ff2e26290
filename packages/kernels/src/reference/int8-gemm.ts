// Integer reference for the int8 path. Mirrors the kernel's float32 rounding step by step
// (Math.fround after every operation) so results are expected to be bit-identical.
const f = Math.fround;

/** Round half to even, like f32x4.nearest / wasm f32.nearest. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function quantizeValue(x: number, inv: number, qMax = 127): number {
  return Math.min(qMax, Math.max(-qMax, roundHalfEven(f(x * inv))));
}

/** Per-row symmetric quantization to [-qMax, qMax]: 127 for int8Gemm, 63 (7 bits) for int8DotGemm. */
export function referenceQuantizeRows(
  x: Float32Array,
  rows: number,
  cols: number,
  qMax = 127,
): { values: Int8Array; scales: Float32Array } {
  const values = new Int8Array(rows * cols);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let maxAbs = 0;
    for (let c = 0; c < cols; c++) maxAbs = Math.max(maxAbs, Math.abs(x[r * cols + c]));
    const scale = f(maxAbs / qMax);
    const inv = scale > 0 ? f(1 / scale) : 0;
    scales[r] = scale;
    for (let c = 0; c < cols; c++) values[r * cols + c] = quantizeValue(x[r * cols + c], inv, qMax);
  }
  return { values, scales };
}

/** Per-output-channel symmetric quantization; w is [K, N] or [N, K] when transposed. */
export function referenceQuantizeWeights(
  w: Float32Array,
  k: number,
  n: number,
  transposed = false,
): { values: Int8Array; scales: Float32Array } {
  const values = new Int8Array(k * n);
  const scales = new Float32Array(n);
  const at = (row: number, col: number): number => (transposed ? col * k + row : row * n + col);
  for (let c = 0; c < n; c++) {
    let maxAbs = 0;
    for (let r = 0; r < k; r++) maxAbs = Math.max(maxAbs, Math.abs(w[at(r, c)]));
    const scale = f(maxAbs / 127);
    const inv = scale > 0 ? f(1 / scale) : 0;
    scales[c] = scale;
    for (let r = 0; r < k; r++) values[at(r, c)] = quantizeValue(w[at(r, c)], inv);
  }
  return { values, scales };
}

/** Exact i32 accumulators of qa[M, K] · qw (qw [K, N], or [N, K] when transposed). */
export function referenceInt8Accumulate(
  qa: Int8Array,
  qw: Int8Array,
  m: number,
  k: number,
  n: number,
  transposed = false,
): Int32Array {
  const acc = new Int32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += qa[i * k + t] * qw[transposed ? j * k + t : t * n + j];
      acc[i * n + j] = s;
    }
  }
  return acc;
}

/** out = f32(acc) · (rowScale · colScale) + bias, each step rounded to float32. */
export function referenceDequantize(
  acc: Int32Array,
  rowScales: Float32Array,
  colScales: Float32Array,
  m: number,
  n: number,
  bias?: Float32Array,
): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let y = f(f(acc[i * n + j]) * f(rowScales[i] * colScales[j]));
      if (bias) y = f(y + bias[j]);
      out[i * n + j] = y;
    }
  }
  return out;
}

/** The whole int8 GEMM: quantize rows of a, accumulate against qw, dequantize. */
export function referenceInt8Gemm(
  a: Float32Array,
  qw: Int8Array,
  wScales: Float32Array,
  m: number,
  k: number,
  n: number,
  options: { transposed?: boolean; bias?: Float32Array } = {},
): Float32Array {
  const qa = referenceQuantizeRows(a, m, k);
  const acc = referenceInt8Accumulate(qa.values, qw, m, k, n, options.transposed);
  return referenceDequantize(acc, qa.scales, wScales, m, n, options.bias);
}
