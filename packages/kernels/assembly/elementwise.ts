// Element-wise kernels: GELU (erf / tanh), bias add, row softmax.
// Buffers handed in by the TS API are over-allocated by at least 16 bytes, so the vector
// loop may run over the tail; only whole vectors inside the length are stored.
import { expv, geluErfv, geluTanhv, hmax } from "./simd";

/** approximation: 0 = exact erf form, 1 = tanh approximation. In-place allowed. */
export function gelu(x: usize, out: usize, length: i32, approximation: i32): void {
  let i = 0;
  if (approximation == 0) {
    for (; i + 4 <= length; i += 4) v128.store(out + <usize>i * 4, geluErfv(v128.load(x + <usize>i * 4)));
  } else {
    for (; i + 4 <= length; i += 4) v128.store(out + <usize>i * 4, geluTanhv(v128.load(x + <usize>i * 4)));
  }
  if (i < length) {
    // Tail: compute a full vector into registers, store lane by lane.
    const v = approximation == 0 ? geluErfv(v128.load(x + <usize>i * 4)) : geluTanhv(v128.load(x + <usize>i * 4));
    store<f32>(out + <usize>i * 4, f32x4.extract_lane(v, 0));
    if (i + 1 < length) store<f32>(out + <usize>(i + 1) * 4, f32x4.extract_lane(v, 1));
    if (i + 2 < length) store<f32>(out + <usize>(i + 2) * 4, f32x4.extract_lane(v, 2));
  }
}

/** out[r, c] = x[r, c] + bias[c]. */
export function biasAdd(x: usize, bias: usize, out: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>(r * cols) * 4;
    const o = out + <usize>(r * cols) * 4;
    let c = 0;
    for (; c + 4 <= cols; c += 4)
      v128.store(o + <usize>c * 4, f32x4.add(v128.load(xr + <usize>c * 4), v128.load(bias + <usize>c * 4)));
    for (; c < cols; c++) store<f32>(o + <usize>c * 4, load<f32>(xr + <usize>c * 4) + load<f32>(bias + <usize>c * 4));
  }
}

/** Numerically stable softmax over each row of [rows, cols]. */
export function softmax(x: usize, out: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>(r * cols) * 4;
    const o = out + <usize>(r * cols) * 4;
    let mv = f32x4.splat(-Infinity);
    let c = 0;
    for (; c + 4 <= cols; c += 4) mv = f32x4.pmax(mv, v128.load(xr + <usize>c * 4));
    let rowMax = hmax(mv);
    for (; c < cols; c++) rowMax = max(rowMax, load<f32>(xr + <usize>c * 4));
    if (rowMax == -Infinity) {
      // Every entry is -Infinity (fully masked): defined as all zeros rather than NaN.
      memory.fill(o, 0, <usize>cols * 4);
      continue;
    }
    const maxV = f32x4.splat(rowMax);
    let sumV = f32x4.splat(0);
    for (c = 0; c + 4 <= cols; c += 4) {
      const e = expv(f32x4.sub(v128.load(xr + <usize>c * 4), maxV));
      v128.store(o + <usize>c * 4, e);
      sumV = f32x4.add(sumV, e);
    }
    let sum =
      f32x4.extract_lane(sumV, 0) +
      f32x4.extract_lane(sumV, 1) +
      f32x4.extract_lane(sumV, 2) +
      f32x4.extract_lane(sumV, 3);
    for (; c < cols; c++) {
      const e = Mathf.exp(load<f32>(xr + <usize>c * 4) - rowMax);
      store<f32>(o + <usize>c * 4, e);
      sum += e;
    }
    const inv = f32x4.splat(<f32>1 / sum);
    for (c = 0; c + 4 <= cols; c += 4) v128.store(o + <usize>c * 4, f32x4.mul(v128.load(o + <usize>c * 4), inv));
    const invS: f32 = <f32>1 / sum;
    for (; c < cols; c++) store<f32>(o + <usize>c * 4, load<f32>(o + <usize>c * 4) * invS);
  }
}
