// LayerNorm over the last dimension with an optional fused residual add:
// out = (x + residual - mean) / sqrt(var + eps) * gamma + beta  (biased variance, like ONNX).
import { hsum } from "./simd";

export function layerNorm(
  x: usize,
  residual: usize,
  gamma: usize,
  beta: usize,
  out: usize,
  rows: i32,
  dim: i32,
  eps: f32,
): void {
  const rowBytes = <usize>dim * 4;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const rr: usize = residual ? residual + <usize>r * rowBytes : 0;
    const o = out + <usize>r * rowBytes;
    // Pass 1: sum (x + residual), staging the sum in `out`.
    let sumV = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= dim; j += 4) {
      let v = v128.load(xr + <usize>j * 4);
      if (rr) v = f32x4.add(v, v128.load(rr + <usize>j * 4));
      v128.store(o + <usize>j * 4, v);
      sumV = f32x4.add(sumV, v);
    }
    let sum = hsum(sumV);
    for (; j < dim; j++) {
      let v = load<f32>(xr + <usize>j * 4);
      if (rr) v += load<f32>(rr + <usize>j * 4);
      store<f32>(o + <usize>j * 4, v);
      sum += v;
    }
    const mean: f32 = sum / <f32>dim;
    // Pass 2: variance from centred values (numerically safer than E[x²] - mean²).
    const meanV = f32x4.splat(mean);
    let varV = f32x4.splat(0);
    for (j = 0; j + 4 <= dim; j += 4) {
      const c = f32x4.sub(v128.load(o + <usize>j * 4), meanV);
      varV = f32x4.add(varV, f32x4.mul(c, c));
    }
    let variance = hsum(varV);
    for (; j < dim; j++) {
      const c = load<f32>(o + <usize>j * 4) - mean;
      variance += c * c;
    }
    const inv: f32 = <f32>1 / Mathf.sqrt(variance / <f32>dim + eps);
    const invV = f32x4.splat(inv);
    for (j = 0; j + 4 <= dim; j += 4) {
      const c = f32x4.mul(f32x4.sub(v128.load(o + <usize>j * 4), meanV), invV);
      let y = f32x4.mul(c, v128.load(gamma + <usize>j * 4));
      if (beta) y = f32x4.add(y, v128.load(beta + <usize>j * 4));
      v128.store(o + <usize>j * 4, y);
    }
    for (; j < dim; j++) {
      let y = (load<f32>(o + <usize>j * 4) - mean) * inv * load<f32>(gamma + <usize>j * 4);
      if (beta) y += load<f32>(beta + <usize>j * 4);
      store<f32>(o + <usize>j * 4, y);
    }
  }
}
