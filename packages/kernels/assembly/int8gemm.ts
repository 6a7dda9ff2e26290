// int8 GEMM with i32 accumulation: out[M,N] = (Σ_k qa[m,k]·qw[k,n]) · sa[m] · sw[n] + bias[n].
// Weights are int8 with per-output-channel symmetric scales; activations are quantized per row
// on the fly (symmetric, [-127, 127]). Values are widened to i16 so the inner product can use
// i32x4.dot_i16x8_s, which multiplies adjacent i16 pairs and adds each pair into one i32 lane.
//
// Packed weight layout: panels of 8 output columns; for every pair of k (K padded to even),
// 16 i16 values: [w(k,c0) w(k+1,c0) w(k,c1) w(k+1,c1) w(k,c2) w(k+1,c2) w(k,c3) w(k+1,c3)]
// followed by the same for c4..c7. An activation pair (a[k], a[k+1]) splatted as one i32
// then dots directly against each half.

const NR: i32 = 8;
const MR: i32 = 4;

// @ts-expect-error: decorator
@inline function evenK(k: i32): i32 { return (k + 1) & ~1; }

export function packedInt8Bytes(k: i32, n: i32): i32 {
  return ((n + NR - 1) / NR) * evenK(k) * NR * 2;
}

/** Bytes for the quantized activations of M rows (i16, K padded to even). */
export function quantizedRowsBytes(m: i32, k: i32): i32 {
  return m * evenK(k) * 2;
}

/** `transposed`: src is [N, K] (one row per output channel) instead of [K, N]. */
export function packInt8(src: usize, k: i32, n: i32, transposed: bool, dst: usize): void {
  const kp = evenK(k);
  const panels = (n + NR - 1) / NR;
  let out = dst;
  for (let p = 0; p < panels; p++) {
    for (let kk = 0; kk < kp; kk += 2) {
      for (let c = 0; c < NR; c++) {
        const col = p * NR + c;
        for (let dk = 0; dk < 2; dk++) {
          const row = kk + dk;
          let value: i32 = 0;
          if (col < n && row < k) {
            value = transposed ? load<i8>(src + <usize>(col * k + row)) : load<i8>(src + <usize>(row * n + col));
          }
          store<i16>(out, <i16>value);
          out += 2;
        }
      }
    }
  }
}

/**
 * Per-row symmetric quantization: scale = max|x| / 127, q = roundHalfEven(x · (1/scale)).
 * An all-zero row gets scale 0 and q = 0. Writes int8 values to qOut (if non-zero), the
 * widened i16 rows (K padded to even) to q16Out (if non-zero) and the scales to scalesOut.
 */
export function quantizeRows(x: usize, m: i32, k: i32, qOut: usize, q16Out: usize, scalesOut: usize): void {
  const kp = evenK(k);
  for (let r = 0; r < m; r++) {
    const row = x + <usize>(r * k) * 4;
    let vmax = f32x4.splat(0);
    let j = 0;
    for (; j + 4 <= k; j += 4) vmax = f32x4.max(vmax, f32x4.abs(v128.load(row + <usize>j * 4)));
    let maxAbs = max(max(f32x4.extract_lane(vmax, 0), f32x4.extract_lane(vmax, 1)), max(f32x4.extract_lane(vmax, 2), f32x4.extract_lane(vmax, 3)));
    for (; j < k; j++) maxAbs = max(maxAbs, abs(load<f32>(row + <usize>j * 4)));
    const scale: f32 = maxAbs / 127;
    const inv: f32 = scale > 0 ? <f32>1 / scale : 0;
    store<f32>(scalesOut + <usize>r * 4, scale);
    for (j = 0; j < kp; j++) {
      let q: i32 = 0;
      if (j < k) {
        q = <i32>nearest(load<f32>(row + <usize>j * 4) * inv);
        q = min(127, max(-127, q));
        if (qOut) store<i8>(qOut + <usize>(r * k + j), <i8>q);
      }
      if (q16Out) store<i16>(q16Out + <usize>(r * kp + j) * 2, <i16>q);
    }
  }
}

/**
 * Per-output-channel symmetric weight quantization. src is [K, N] (or [N, K] if transposed);
 * qOut has the same layout as src; scalesOut has N entries.
 */
export function quantizeWeights(src: usize, k: i32, n: i32, transposed: bool, qOut: usize, scalesOut: usize): void {
  for (let c = 0; c < n; c++) {
    let maxAbs: f32 = 0;
    for (let kk = 0; kk < k; kk++) {
      const idx = transposed ? c * k + kk : kk * n + c;
      maxAbs = max(maxAbs, abs(load<f32>(src + <usize>idx * 4)));
    }
    const scale: f32 = maxAbs / 127;
    const inv: f32 = scale > 0 ? <f32>1 / scale : 0;
    store<f32>(scalesOut + <usize>c * 4, scale);
    for (let kk = 0; kk < k; kk++) {
      const idx = transposed ? c * k + kk : kk * n + c;
      const q = min(127, max(-127, <i32>nearest(load<f32>(src + <usize>idx * 4) * inv)));
      store<i8>(qOut + <usize>idx, <i8>q);
    }
  }
}

// @ts-expect-error: decorator
@inline function dequant(acc: v128, rowScale: v128, colScales: usize, bias: usize, col: i32): v128 {
  // Plain mul then add (never fused) so the result is bit-exact to the reference.
  const scale = f32x4.mul(rowScale, v128.load(colScales + <usize>col * 4));
  let y = f32x4.mul(f32x4.convert_i32x4_s(acc), scale);
  if (bias) y = f32x4.add(y, v128.load(bias + <usize>col * 4));
  return y;
}

// @ts-expect-error: decorator
@inline function storeRow(row: usize, col: i32, n: i32, lo: v128, hi: v128, toI32: bool): void {
  const dst = row + <usize>col * 4;
  if (col + NR <= n) {
    v128.store(dst, lo);
    v128.store(dst, hi, 16);
  } else {
    const valid = n - col;
    for (let c = 0; c < valid; c++) {
      const v = c < 4 ? lo : hi;
      const lane = c & 3;
      // Lanes are read as raw 32-bit patterns: f32 output or raw i32 accumulators alike.
      const bits: i32 = lane == 0 ? i32x4.extract_lane(v, 0) : lane == 1 ? i32x4.extract_lane(v, 1) : lane == 2 ? i32x4.extract_lane(v, 2) : i32x4.extract_lane(v, 3);
      store<i32>(dst + <usize>c * 4, bits);
    }
  }
}

/**
 * q16: quantized activations [M, Kp] as i16 (from quantizeRows), rowScales[M];
 * packed: weights from packInt8; colScales[N]; bias[N] or 0.
 * If `rawI32` is set, writes the raw i32 accumulators instead of dequantized f32.
 */
export function int8Gemm(q16: usize, rowScales: usize, packed: usize, colScales: usize, bias: usize, out: usize, m: i32, n: i32, k: i32, rawI32: bool): void {
  const kp = evenK(k);
  const panels = (n + NR - 1) / NR;
  const rowBytes = <usize>kp * 2;
  const panelBytes = <usize>kp * NR * 2;
  const outRowBytes = <usize>n * 4;
  for (let p = 0; p < panels; p++) {
    const panel = packed + <usize>p * panelBytes;
    const col = p * NR;
    for (let i = 0; i < m; i += MR) {
      const a0 = q16 + <usize>i * rowBytes;
      const a1 = q16 + <usize>min(i + 1, m - 1) * rowBytes;
      const a2 = q16 + <usize>min(i + 2, m - 1) * rowBytes;
      const a3 = q16 + <usize>min(i + 3, m - 1) * rowBytes;
      let c00 = i32x4.splat(0), c01 = i32x4.splat(0);
      let c10 = i32x4.splat(0), c11 = i32x4.splat(0);
      let c20 = i32x4.splat(0), c21 = i32x4.splat(0);
      let c30 = i32x4.splat(0), c31 = i32x4.splat(0);
      let bp = panel;
      let off: usize = 0;
      while (off < rowBytes) {
        const b0 = v128.load(bp);
        const b1 = v128.load(bp, 16);
        let x = v128.load32_splat(a0 + off);
        c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x, b0)); c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x, b1));
        x = v128.load32_splat(a1 + off);
        c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x, b0)); c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x, b1));
        x = v128.load32_splat(a2 + off);
        c20 = i32x4.add(c20, i32x4.dot_i16x8_s(x, b0)); c21 = i32x4.add(c21, i32x4.dot_i16x8_s(x, b1));
        x = v128.load32_splat(a3 + off);
        c30 = i32x4.add(c30, i32x4.dot_i16x8_s(x, b0)); c31 = i32x4.add(c31, i32x4.dot_i16x8_s(x, b1));
        bp += 32;
        off += 4;
      }
      const rows = min(MR, m - i);
      for (let r = 0; r < rows; r++) {
        let lo = r == 0 ? c00 : r == 1 ? c10 : r == 2 ? c20 : c30;
        let hi = r == 0 ? c01 : r == 1 ? c11 : r == 2 ? c21 : c31;
        if (!rawI32) {
          const rowScale = v128.load32_splat(rowScales + <usize>(i + r) * 4);
          lo = dequant(lo, rowScale, colScales, bias, col);
          hi = dequant(hi, rowScale, colScales, bias, col + 4);
        }
        storeRow(out + <usize>(i + r) * outRowBytes, col, n, lo, hi, rawI32);
      }
    }
  }
}
