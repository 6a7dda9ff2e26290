// int8 GEMM with i32 accumulation: out[M,N] = (Σ_k qa[m,k]·qw[k,n]) · sa[m] · sw[n] + bias[n].
// Weights are int8 with per-output-channel symmetric scales; activations are quantized per row
// on the fly (symmetric, [-127, 127]). Values are widened to i16 so the inner product can use
// i32x4.dot_i16x8_s, which multiplies adjacent i16 pairs and adds each pair into one i32 lane.
//
// Packed weight layout: panels of 8 output columns; for every pair of k (K padded to even),
// 16 i16 values: [w(k,c0) w(k+1,c0) w(k,c1) w(k+1,c1) w(k,c2) w(k+1,c2) w(k,c3) w(k+1,c3)]
// followed by the same for c4..c7. An activation pair (a[k], a[k+1]) splatted as one i32
// then dots directly against each half.

import { F_ROUND_MAGIC, f32Const, I16_127, I16_MINUS_127, I_ABS_MASK, i32Const } from "./simd";

const NR: i32 = 8;
// Rows per micro-tile: 3 x 8 keeps the 6 accumulators plus the loads V8 hoists to the top of
// the loop body (2 B + 3 A vectors) well within 16 xmm registers (see gemm.ts).
const MR: i32 = 3;
/** Stores the four 32-bit lanes of v at dst, dst + stride, dst + 2·stride, dst + 3·stride. */
// @ts-expect-error: decorator
@inline export function storeLanes(dst: usize, v: v128, stride: usize): void {
  v128.store32_lane(dst, v, 0);
  v128.store32_lane(dst + stride, v, 1);
  v128.store32_lane(dst + 2 * stride, v, 2);
  v128.store32_lane(dst + 3 * stride, v, 3);
}

/** Byte offset of row r's (a[j], a[j+1]) pair in the kernel layout (j even). */
// @ts-ignore: decorator
@inline function pairOffset(r: i32, j: i32, kp: i32): usize {
  return <usize>((r / MR) * kp * MR + (j >> 1) * 2 * MR + (r % MR) * 2) * 2;
}

// @ts-expect-error: decorator
@inline function evenK(k: i32): i32 { return (k + 1) & ~1; }

export function packedInt8Bytes(k: i32, n: i32): i32 {
  return ((n + NR - 1) / NR) * evenK(k) * NR * 2;
}

/**
 * Bytes for the quantized activations in kernel layout: blocks of MR rows (M padded), and
 * within a block, for each k-pair, the MR rows' (a[k], a[k+1]) i16 pairs side by side (4·MR
 * bytes). One pointer with immediate offsets 0/4/8 then reaches all rows of the block.
 */
export function quantizedRowsBytes(m: i32, k: i32): i32 {
  return ((m + MR - 1) / MR) * MR * evenK(k) * 2;
}

/** `transposed`: src is [N, K] (one row per output channel) instead of [K, N]. */
export function packInt8(src: usize, k: i32, n: i32, transposed: bool, dst: usize): void {
  packInt8Groups(src, k, n, transposed, dst, 2, true);
}

/**
 * Packs int8 weights into panels of NR columns, interleaving `group` consecutive k of each column
 * (K padded to a multiple of `group` with zeros): the i16 kernel reads k pairs widened to i16
 * (`group` 2, `widen`), the byte dot kernel k quads as bytes (`group` 4). Returns the end of the
 * packed bytes. `transposed`: src is [N, K] instead of [K, N]. Inlined so each caller gets a
 * loop specialised for its constant `group` and `widen` (a shared loop packed ~40% slower).
 */
// @ts-expect-error: decorator
@inline export function packInt8Groups(src: usize, k: i32, n: i32, transposed: bool, dst: usize, group: i32, widen: bool): usize {
  const kg = ((k + group - 1) / group) * group;
  const panels = (n + NR - 1) / NR;
  let out = dst;
  for (let p = 0; p < panels; p++) {
    for (let kk = 0; kk < kg; kk += group) {
      for (let c = 0; c < NR; c++) {
        const col = p * NR + c;
        for (let d = 0; d < group; d++) {
          const row = kk + d;
          let value: i32 = 0;
          if (col < n && row < k) {
            value = transposed ? load<i8>(src + <usize>(col * k + row)) : load<i8>(src + <usize>(row * n + col));
          }
          if (widen) {
            store<i16>(out, <i16>value);
            out += 2;
          } else {
            store<i8>(out, <i8>value);
            out++;
          }
        }
      }
    }
  }
  return out;
}

/**
 * round(v · inv) per lane as i32 (round half to even), for |v · inv| < 2^22: adding 1.5·2^23
 * rounds to an integer in the default FP mode, exactly like f32x4.nearest, and leaves it in the
 * low mantissa bits, so an integer subtract of the magic's bits yields it. This replaces
 * nearest + trunc_sat, which V8 expands into long fix-up sequences. `magic` is
 * f32Const(F_ROUND_MAGIC), loaded once outside the loop.
 */
// @ts-expect-error: decorator
@inline export function roundScaled(v: v128, inv: v128, magic: v128): v128 {
  return i32x4.sub(f32x4.add(f32x4.mul(v, inv), magic), magic);
}

/**
 * 16 floats at src, scaled by inv and rounded (see roundScaled), as i8 lanes with saturation to
 * [-128, 127] (callers clamp further; the saturating narrows keep that exact).
 */
// @ts-expect-error: decorator
@inline export function roundScaled16(src: usize, inv: v128, magic: v128): v128 {
  const q0 = roundScaled(v128.load(src), inv, magic);
  const q1 = roundScaled(v128.load(src, 16), inv, magic);
  const q2 = roundScaled(v128.load(src, 32), inv, magic);
  const q3 = roundScaled(v128.load(src, 48), inv, magic);
  return i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(q0, q1), i16x8.narrow_i32x4_s(q2, q3));
}

/**
 * max|x| over a row of k floats. Computed on the bit patterns with the sign cleared: for
 * non-negative floats the integer order is the float order, and Inf/NaN patterns (>= 0x7f800000)
 * exceed every finite one, so a non-finite input always yields a non-finite scale (callers check
 * the scales instead of scanning the input again). pmaxsd is one instruction; f32x4.max is a
 * long sequence.
 */
// @ts-expect-error: decorator
@inline export function maxAbs(row: usize, k: i32): f32 {
  const absMask = i32Const(I_ABS_MASK);
  let vmax0 = i32x4.splat(0), vmax1 = i32x4.splat(0);
  let j = 0;
  for (; j + 8 <= k; j += 8) {
    vmax0 = i32x4.max_s(vmax0, v128.and(v128.load(row + <usize>j * 4), absMask));
    vmax1 = i32x4.max_s(vmax1, v128.and(v128.load(row + <usize>j * 4, 16), absMask));
  }
  const vmax = i32x4.max_s(vmax0, vmax1);
  let maxBits = max(max(i32x4.extract_lane(vmax, 0), i32x4.extract_lane(vmax, 1)), max(i32x4.extract_lane(vmax, 2), i32x4.extract_lane(vmax, 3)));
  for (; j < k; j++) maxBits = max(maxBits, load<i32>(row + <usize>j * 4) & 0x7fffffff);
  return reinterpret<f32>(maxBits);
}

/**
 * Per-row symmetric quantization: scale = max|x| / 127, q = roundHalfEven(x · (1/scale)).
 * An all-zero row gets scale 0 and q = 0. Writes int8 values to qOut (if non-zero), the
 * widened i16 values in kernel layout (see quantizedRowsBytes) to q16Out (if non-zero) and the
 * scales to scalesOut. A row holding Inf or NaN gets a non-finite scale (its q are undefined).
 */
export function quantizeRows(x: usize, m: i32, k: i32, qOut: usize, q16Out: usize, scalesOut: usize): void {
  const kp = evenK(k);
  for (let r = 0; r < m; r++) {
    const row = x + <usize>(r * k) * 4;
    const scale: f32 = maxAbs(row, k) / 127;
    const inv: f32 = scale > 0 ? <f32>1 / scale : 0;
    store<f32>(scalesOut + <usize>r * 4, scale);
    let j = 0;
    if (!qOut) {
      // Hot path (int8Gemm): 8 values at a time, written straight into the kernel layout.
      // Same arithmetic as the scalar loop below (f32 multiply, round half to even, clamp).
      const invV = f32x4.splat(inv);
      const lo = i32Const(I16_MINUS_127);
      const hi = i32Const(I16_127);
      const block = q16Out + pairOffset(r, 0, kp);
      const pairStride: usize = 4 * MR;
      const magic = f32Const(F_ROUND_MAGIC);
      for (; j + 8 <= k; j += 8) {
        const src = row + <usize>j * 4;
        const q0 = roundScaled(v128.load(src), invV, magic);
        const q1 = roundScaled(v128.load(src, 16), invV, magic);
        const q = i16x8.max_s(lo, i16x8.min_s(hi, i16x8.narrow_i32x4_s(q0, q1)));
        // Each 32-bit lane is one (a[k], a[k+1]) pair; pairs of a row are 4·MR bytes apart.
        const dst = block + <usize>(j >> 1) * pairStride;
        storeLanes(dst, q, pairStride);
      }
    }
    for (; j < kp; j++) {
      let q: i32 = 0;
      if (j < k) {
        q = <i32>nearest(load<f32>(row + <usize>j * 4) * inv);
        q = min(127, max(-127, q));
        if (qOut) store<i8>(qOut + <usize>(r * k + j), <i8>q);
      }
      if (q16Out) store<i16>(q16Out + pairOffset(r, j & ~1, kp) + <usize>(j & 1) * 2, <i16>q);
    }
  }
  // Padding rows of the last block are zeros.
  if (q16Out) {
    for (let r = m; r < ((m + MR - 1) / MR) * MR; r++) {
      for (let j = 0; j < kp; j += 2) store<i32>(q16Out + pairOffset(r, j, kp), 0);
    }
  }
}

/**
 * Already-quantized int8 rows [M, K] (row-major) into the kernel layout of quantizeRows'
 * q16Out (widened to i16, K padded to even, M padded to a multiple of MR with zero rows).
 */
export function packQuantizedRows(q8: usize, m: i32, k: i32, q16Out: usize): void {
  const kp = evenK(k);
  const pairStride: usize = 4 * MR;
  for (let r = 0; r < m; r++) {
    const row = q8 + <usize>(r * k);
    const block = q16Out + pairOffset(r, 0, kp);
    let j = 0;
    for (; j + 8 <= k; j += 8) {
      const q = i16x8.extend_low_i8x16_s(v128.load64_zero(row + <usize>j));
      const dst = block + <usize>(j >> 1) * pairStride;
      storeLanes(dst, q, pairStride);
    }
    for (; j < kp; j++) {
      const q: i32 = j < k ? <i32>load<i8>(row + <usize>j) : 0;
      store<i16>(block + <usize>(j >> 1) * pairStride + <usize>(j & 1) * 2, <i16>q);
    }
  }
  for (let r = m; r < ((m + MR - 1) / MR) * MR; r++) {
    for (let j = 0; j < kp; j += 2) store<i32>(q16Out + pairOffset(r, j, kp), 0);
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
@inline export function dequant(acc: v128, rowScale: v128, colScales: usize, bias: usize, col: i32): v128 {
  // Plain mul then add (never fused) so the result is bit-exact to the reference.
  const scale = f32x4.mul(rowScale, v128.load(colScales + <usize>col * 4));
  let y = f32x4.mul(f32x4.convert_i32x4_s(acc), scale);
  if (bias) y = f32x4.add(y, v128.load(bias + <usize>col * 4));
  return y;
}

// @ts-expect-error: decorator
@inline export function storeRow(row: usize, col: i32, n: i32, lo: v128, hi: v128, toI32: bool): void {
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
 * q16: quantized activations in kernel layout (from quantizeRows), rowScales[M];
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
      let ap = q16 + <usize>i * rowBytes; // start of this MR-row block
      const aEnd = ap + <usize>MR * rowBytes;
      let c00 = i32x4.splat(0), c01 = i32x4.splat(0);
      let c10 = i32x4.splat(0), c11 = i32x4.splat(0);
      let c20 = i32x4.splat(0), c21 = i32x4.splat(0);
      let bp = panel;
      // One k-pair per iteration: measured 2-5% faster than unrolling by 2 (Node 20 and workerd),
      // with fewer values for V8 to hoist to the top of the loop body.
      while (ap < aEnd) {
        const b0 = v128.load(bp, 0), b1 = v128.load(bp, 16);
        let x = v128.load32_splat(ap, 0); c00 = i32x4.add(c00, i32x4.dot_i16x8_s(x, b0)); c01 = i32x4.add(c01, i32x4.dot_i16x8_s(x, b1));
        x = v128.load32_splat(ap, 4); c10 = i32x4.add(c10, i32x4.dot_i16x8_s(x, b0)); c11 = i32x4.add(c11, i32x4.dot_i16x8_s(x, b1));
        x = v128.load32_splat(ap, 8); c20 = i32x4.add(c20, i32x4.dot_i16x8_s(x, b0)); c21 = i32x4.add(c21, i32x4.dot_i16x8_s(x, b1));
        ap += 4 * MR;
        bp += 2 * NR * 2;
      }
      const rows = min(MR, m - i);
      for (let r = 0; r < rows; r++) {
        let lo = r == 0 ? c00 : r == 1 ? c10 : c20;
        let hi = r == 0 ? c01 : r == 1 ? c11 : c21;
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
