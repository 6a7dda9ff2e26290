// int8 GEMM on the relaxed-SIMD 4-way byte dot product, i32x4.relaxed_dot_i8x16_i7x16_add_s:
// each i32 lane accumulates four i8 × i7 products. Engines with AVX-VNNI (or ARM sdot) run it
// as one instruction, 16 multiply-adds, where the i16 path of int8gemm.ts needs a dot plus an
// add for 8. Its second operand must lie in [0, 127] for the result to be the same on every
// engine, so activations are quantized to 7 bits, q in [-63, 63] (scale = max|x| / 63), and
// stored as u = q + 64 in [1, 127]; weights stay int8 (any value). Then
//   Σ_k q·w = Σ_k u·w − 64 · Σ_k w,
// with the column sums Σ_k w precomputed at pack time. Products of an i8 and an i7 pair sum to
// at most 2·128·127 < 2^15, so the x86 fallback lowering (pmaddubsw, which saturates to i16) is
// exact too: results are bit-identical across engines. The plain SIMD build emulates the
// instruction with i16 dots (exact, slower; use int8Gemm there).
//
// Packed weight layout: panels of 8 columns; for every k-quad (K padded to a multiple of 4),
// 32 bytes: [w(k..k+3, c0) w(k..k+3, c1) w(k..k+3, c2) w(k..k+3, c3)] then c4..c7. After all
// panels: 8·panels i32 corrections, 64 · Σ_k w[k, c] (0 for padding columns).
// Activation layout: blocks of MR rows (M padded); within a block, for each k-quad, the MR
// rows' 4 bytes side by side (4·MR bytes), so one pointer with immediate offsets reaches them.
//
// 8-bit activations ("split"): the same instruction runs int8Gemm's exact product. A row is
// quantized as quantizeRows does (q in [-127, 127], scale = max|x| / 127); u = q + 127 in
// [0, 254] is split into lo = min(u, 127) and hi = u − lo, both in [0, 127], and
//   Σ_k q·w = Σ_k lo·w + Σ_k hi·w − 127 · Σ_k w.
// Two dot instructions per 16 multiply-adds instead of one, still half the i16 path's four
// (dot + add for 8), and the sums equal int8Gemm's bit for bit. Layout: for each k-quad, the MRS
// rows' lo and hi quads interleaved (8·MRS bytes: lo r0, hi r0, lo r1, …), MRS = 5 rows.

import { dequant, maxAbs, packInt8Groups, roundScaled16, storeLanes, storeRow } from "./int8gemm";
import { F_ROUND_MAGIC, f32Const, I8_63, I8_64, I8_127, I8_MINUS_63, I8_MINUS_127, I8_MINUS_128, i32Const } from "./simd";

const NR: i32 = 8;
// 6 x 8: 12 accumulators + 2 weight vectors + 1 activation broadcast. The accumulating dot
// needs no temporaries with VNNI, so the larger tile fits in the 16 xmm registers (measured
// faster than 4 x 8 in workerd).
const MR: i32 = 6;
// The split layout's row blocks: 5 x 8. Both halves of a row's activations are live at once (V8
// emits the loads before the dot instructions that use them), so 6 rows would need 16 registers
// and V8 spilled all 12 accumulators to the stack in every iteration.
const MRS: i32 = 5;

// @ts-expect-error: decorator
@inline function quads(k: i32): i32 { return (k + 3) >> 2; }

export function packedInt8DotBytes(k: i32, n: i32): i32 {
  const panels = (n + NR - 1) / NR;
  return panels * quads(k) * NR * 4 + panels * NR * 4;
}

export function quantizedRows7Bytes(m: i32, k: i32): i32 {
  return ((m + MR - 1) / MR) * MR * quads(k) * 4;
}

/** `transposed`: src is [N, K] (one row per output channel) instead of [K, N]. */
export function packInt8Dot(src: usize, k: i32, n: i32, transposed: bool, dst: usize): void {
  const panels = (n + NR - 1) / NR;
  const out = packInt8Groups(src, k, n, transposed, dst, 4, false);
  for (let col = 0; col < panels * NR; col++) {
    let sum = 0;
    if (col < n) {
      for (let row = 0; row < k; row++) {
        sum += <i32>(transposed ? load<i8>(src + <usize>(col * k + row)) : load<i8>(src + <usize>(row * n + col)));
      }
    }
    store<i32>(out + <usize>col * 4, sum * 64);
  }
}

/** Bytes for 8-bit activations in the split layout (see the top of this file). */
export function quantizedRowsSplitBytes(m: i32, k: i32): i32 {
  return ((m + MRS - 1) / MRS) * MRS * quads(k) * 8;
}

/**
 * int8 rows [M, K] (row-major, each in [−127, 127], as quantizeRows writes them) into the split
 * layout: lo and hi of u = q + 127. Returns 0, or 1 + the index of the first value out of range
 * (−128; nothing usable is written then).
 */
export function packQuantizedRowsSplit(q8: usize, m: i32, k: i32, out: usize): i32 {
  const kqn = quads(k);
  const quadStride: usize = 8 * MRS;
  const offset = i32Const(I8_127);
  const minus128 = i32Const(I8_MINUS_128);
  for (let r = 0; r < m; r++) {
    const row = q8 + <usize>(r * k);
    const block = out + <usize>((r / MRS) * kqn * MRS * 8 + (r % MRS) * 8);
    let bad = i8x16.splat(0);
    let j = 0;
    for (; j + 16 <= k; j += 16) {
      const q = v128.load(row + <usize>j);
      bad = v128.or(bad, i8x16.eq(q, minus128));
      const u = i8x16.add(q, offset); // [-127, 127] -> [0, 254] as unsigned bytes
      const lo = i8x16.min_u(u, offset);
      const dst = block + <usize>(j >> 2) * quadStride;
      storeLanes(dst, lo, quadStride);
      storeLanes(dst + 4, i8x16.sub(u, lo), quadStride);
    }
    if (i8x16.bitmask(bad)) j = 0; // rescan the row below to find the index
    for (; j < kqn * 4; j++) {
      let u: i32 = 0;
      if (j < k) {
        const q = <i32>load<i8>(row + <usize>j);
        if (q == -128) return r * k + j + 1;
        u = q + 127;
      }
      const lo = min(u, 127);
      const at = block + <usize>(j >> 2) * quadStride + <usize>(j & 3);
      store<u8>(at, <u8>lo);
      store<u8>(at + 4, <u8>(u - lo));
    }
  }
  padSplitRows(out, m, k);
  return 0;
}

/**
 * Per-row 8-bit quantization exactly as quantizeRows (scale = max|x| / 127, q = clamp(
 * roundHalfEven(x · (1/scale)), −127, 127)), written straight into the split layout.
 */
export function quantizeRowsSplit(x: usize, m: i32, k: i32, out: usize, scalesOut: usize): void {
  const kqn = quads(k);
  const quadStride: usize = 8 * MRS;
  const magic = f32Const(F_ROUND_MAGIC);
  for (let r = 0; r < m; r++) {
    const row = x + <usize>(r * k) * 4;
    const scale: f32 = maxAbs(row, k) / 127;
    const inv: f32 = scale > 0 ? <f32>1 / scale : 0;
    store<f32>(scalesOut + <usize>r * 4, scale);
    const block = out + <usize>((r / MRS) * kqn * MRS * 8 + (r % MRS) * 8);
    const invV = f32x4.splat(inv);
    const lo127 = i32Const(I8_MINUS_127);
    const hi127 = i32Const(I8_127);
    let j = 0;
    for (; j + 16 <= k; j += 16) {
      const q8 = roundScaled16(row + <usize>j * 4, invV, magic);
      const u = i8x16.add(i8x16.max_s(lo127, i8x16.min_s(hi127, q8)), hi127); // [0, 254] unsigned
      const lo = i8x16.min_u(u, hi127);
      const dst = block + <usize>(j >> 2) * quadStride;
      storeLanes(dst, lo, quadStride);
      storeLanes(dst + 4, i8x16.sub(u, lo), quadStride);
    }
    for (; j < kqn * 4; j++) {
      let u: i32 = 0;
      if (j < k) u = min(127, max(-127, <i32>nearest(load<f32>(row + <usize>j * 4) * inv))) + 127;
      const lo = min(u, 127);
      const at = block + <usize>(j >> 2) * quadStride + <usize>(j & 3);
      store<u8>(at, <u8>lo);
      store<u8>(at + 4, <u8>(u - lo));
    }
  }
  padSplitRows(out, m, k);
}

/** Zero rows padding the last MRS-row block of the split layout (lo = hi = 0). */
function padSplitRows(out: usize, m: i32, k: i32): void {
  const kqn = quads(k);
  for (let r = m; r < ((m + MRS - 1) / MRS) * MRS; r++) {
    const block = out + <usize>((r / MRS) * kqn * MRS * 8 + (r % MRS) * 8);
    for (let j = 0; j < kqn; j++) store<u64>(block + <usize>j * 8 * MRS, 0);
  }
}

// @ts-expect-error: decorator
@inline function rowBlock(q7: usize, r: i32, kqn: i32): usize {
  return q7 + <usize>((r / MR) * kqn * MR * 4 + (r % MR) * 4);
}

/** Zero rows padding the last MR-row block. */
function padRows(q7: usize, m: i32, k: i32): void {
  const kqn = quads(k);
  for (let r = m; r < ((m + MR - 1) / MR) * MR; r++) {
    const block = rowBlock(q7, r, kqn);
    for (let j = 0; j < kqn; j++) store<i32>(block + <usize>j * 4 * MR, 0);
  }
}

/**
 * Per-row symmetric 7-bit quantization: scale = max|x| / 63, q = clamp(roundHalfEven(x · (1/scale)),
 * −63, 63); an all-zero row gets scale 0. Writes q (int8, row-major [M, K]) to qOut if non-zero,
 * u = q + 64 in kernel layout to q7Out if non-zero (K padding 0), and the scales. A row holding
 * Inf or NaN gets a non-finite scale.
 */
export function quantizeRows7(x: usize, m: i32, k: i32, qOut: usize, q7Out: usize, scalesOut: usize): void {
  const kqn = quads(k);
  const magic = f32Const(F_ROUND_MAGIC);
  for (let r = 0; r < m; r++) {
    const row = x + <usize>(r * k) * 4;
    const scale: f32 = maxAbs(row, k) / 63;
    const inv: f32 = scale > 0 ? <f32>1 / scale : 0;
    store<f32>(scalesOut + <usize>r * 4, scale);
    const block = q7Out ? rowBlock(q7Out, r, kqn) : 0;
    const quadStride: usize = 4 * MR;
    let j = 0;
    if (q7Out && !qOut) {
      // Hot path: 16 values at a time; magic-number rounding (round half to even, exact for |v| < 2^22).
      const invV = f32x4.splat(inv);
      const lo = i32Const(I8_MINUS_63);
      const hi = i32Const(I8_63);
      const offset = i32Const(I8_64);
      for (; j + 16 <= k; j += 16) {
        const q8 = roundScaled16(row + <usize>j * 4, invV, magic);
        const u = i8x16.add(i8x16.max_s(lo, i8x16.min_s(hi, q8)), offset);
        const dst = block + <usize>(j >> 2) * quadStride;
        storeLanes(dst, u, quadStride);
      }
    }
    for (; j < kqn * 4; j++) {
      let u: i32 = 0;
      if (j < k) {
        const q = min(63, max(-63, <i32>nearest(load<f32>(row + <usize>j * 4) * inv)));
        if (qOut) store<i8>(qOut + <usize>(r * k + j), <i8>q);
        u = q + 64;
      }
      if (q7Out) store<u8>(block + <usize>(j >> 2) * quadStride + <usize>(j & 3), <u8>u);
    }
  }
  if (q7Out) padRows(q7Out, m, k);
}

/**
 * Already-quantized rows [M, K] (int8, each in [−64, 63]) into the kernel layout of
 * quantizeRows7 (u = q + 64). Returns 0, or 1 + the index of the first value out of range
 * (nothing usable is written then).
 */
export function packQuantizedRows7(q8: usize, m: i32, k: i32, q7Out: usize): i32 {
  const kqn = quads(k);
  const quadStride: usize = 4 * MR;
  const offset = i32Const(I8_64);
  for (let r = 0; r < m; r++) {
    const row = q8 + <usize>(r * k);
    const block = rowBlock(q7Out, r, kqn);
    let bad = i8x16.splat(0);
    let j = 0;
    for (; j + 16 <= k; j += 16) {
      const u = i8x16.add(v128.load(row + <usize>j), offset); // [-64, 63] -> [0, 127]
      bad = v128.or(bad, u); // a value out of range sets bit 7 of u
      const dst = block + <usize>(j >> 2) * quadStride;
      storeLanes(dst, u, quadStride);
    }
    if (i8x16.bitmask(bad)) j = 0; // rescan the row below to find the index
    for (; j < kqn * 4; j++) {
      let u: i32 = 0;
      if (j < k) {
        const q = <i32>load<i8>(row + <usize>j);
        if (q < -64 || q > 63) return r * k + j + 1;
        u = q + 64;
      }
      store<u8>(block + <usize>(j >> 2) * quadStride + <usize>(j & 3), <u8>u);
    }
  }
  padRows(q7Out, m, k);
  return 0;
}

/**
 * acc + Σ over each lane's 4 bytes of w(i8) · u(u7): the relaxed dot (if `native` and the build
 * has relaxed SIMD) or its exact emulation with i16 dots.
 */
// @ts-expect-error: decorator
@inline function dot4(w: v128, u: v128, acc: v128, native: bool): v128 {
  if (ASC_FEATURE_RELAXED_SIMD && native) {
    return i32x4.relaxed_dot_i8x16_i7x16_add_s(w, u, acc);
  } else {
    // u is a splat of one 4-byte quad: its low 8 bytes widen to [u0 u1 u2 u3 u0 u1 u2 u3].
    const u16 = i16x8.extend_low_i8x16_u(u);
    const d0 = i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(w), u16); // c0: k01, k23; c1: k01, k23
    const d1 = i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(w), u16); // c2, c3
    return i32x4.add(acc, i32x4.add(i8x16.shuffle(d0, d1, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), i8x16.shuffle(d0, d1, 4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31)));
  }
}

// @ts-expect-error: decorator
@inline function gemmDot(q7: usize, rowScales: usize, packed: usize, colScales: usize, bias: usize, out: usize, m: i32, n: i32, k: i32, rawI32: bool, native: bool, split: bool): void {
  const kqn = quads(k);
  const panels = (n + NR - 1) / NR;
  const panelBytes = <usize>kqn * NR * 4;
  const mr = split ? MRS : MR;
  const blockBytes = <usize>kqn * mr * (split ? 8 : 4);
  const corrections = packed + <usize>panels * panelBytes;
  const outRowBytes = <usize>n * 4;
  for (let p = 0; p < panels; p++) {
    const panel = packed + <usize>p * panelBytes;
    const col = p * NR;
    for (let i = 0; i < m; i += mr) {
      let ap = q7 + <usize>(i / mr) * blockBytes;
      const aEnd = ap + blockBytes;
      let bp = panel;
      let c00 = i32x4.splat(0), c01 = i32x4.splat(0), c10 = i32x4.splat(0), c11 = i32x4.splat(0);
      let c20 = i32x4.splat(0), c21 = i32x4.splat(0), c30 = i32x4.splat(0), c31 = i32x4.splat(0);
      let c40 = i32x4.splat(0), c41 = i32x4.splat(0), c50 = i32x4.splat(0), c51 = i32x4.splat(0);
      if (split) {
        // lo and hi quads of each row, both against the same weights.
        while (ap < aEnd) {
          const b0 = v128.load(bp), b1 = v128.load(bp, 16);
          let x = v128.load32_splat(ap); c00 = dot4(b0, x, c00, native); c01 = dot4(b1, x, c01, native);
          x = v128.load32_splat(ap, 4); c00 = dot4(b0, x, c00, native); c01 = dot4(b1, x, c01, native);
          x = v128.load32_splat(ap, 8); c10 = dot4(b0, x, c10, native); c11 = dot4(b1, x, c11, native);
          x = v128.load32_splat(ap, 12); c10 = dot4(b0, x, c10, native); c11 = dot4(b1, x, c11, native);
          x = v128.load32_splat(ap, 16); c20 = dot4(b0, x, c20, native); c21 = dot4(b1, x, c21, native);
          x = v128.load32_splat(ap, 20); c20 = dot4(b0, x, c20, native); c21 = dot4(b1, x, c21, native);
          x = v128.load32_splat(ap, 24); c30 = dot4(b0, x, c30, native); c31 = dot4(b1, x, c31, native);
          x = v128.load32_splat(ap, 28); c30 = dot4(b0, x, c30, native); c31 = dot4(b1, x, c31, native);
          x = v128.load32_splat(ap, 32); c40 = dot4(b0, x, c40, native); c41 = dot4(b1, x, c41, native);
          x = v128.load32_splat(ap, 36); c40 = dot4(b0, x, c40, native); c41 = dot4(b1, x, c41, native);
          ap += 8 * MRS;
          bp += 4 * NR;
        }
      } else {
        while (ap < aEnd) {
          const b0 = v128.load(bp), b1 = v128.load(bp, 16);
          c00 = dot4(b0, v128.load32_splat(ap), c00, native); c01 = dot4(b1, v128.load32_splat(ap), c01, native);
          c10 = dot4(b0, v128.load32_splat(ap, 4), c10, native); c11 = dot4(b1, v128.load32_splat(ap, 4), c11, native);
          c20 = dot4(b0, v128.load32_splat(ap, 8), c20, native); c21 = dot4(b1, v128.load32_splat(ap, 8), c21, native);
          c30 = dot4(b0, v128.load32_splat(ap, 12), c30, native); c31 = dot4(b1, v128.load32_splat(ap, 12), c31, native);
          c40 = dot4(b0, v128.load32_splat(ap, 16), c40, native); c41 = dot4(b1, v128.load32_splat(ap, 16), c41, native);
          c50 = dot4(b0, v128.load32_splat(ap, 20), c50, native); c51 = dot4(b1, v128.load32_splat(ap, 20), c51, native);
          ap += 4 * MR;
          bp += 4 * NR;
        }
      }
      const rows = min(mr, m - i);
      for (let r = 0; r < rows; r++) {
        let lo = r == 0 ? c00 : r == 1 ? c10 : r == 2 ? c20 : r == 3 ? c30 : r == 4 ? c40 : c50;
        let hi = r == 0 ? c01 : r == 1 ? c11 : r == 2 ? c21 : r == 3 ? c31 : r == 4 ? c41 : c51;
        // Corrections are loaded here, not kept in registers across the loop: 12 accumulators,
        // 2 weight vectors and the broadcast already take 15 of the 16 xmm registers.
        let corrLo = v128.load(corrections + <usize>col * 4);
        let corrHi = v128.load(corrections + <usize>col * 4, 16);
        if (split) {
          // Stored 64·Σw; the split layout's offset is 127: 127·Σw = 2·(64·Σw) − (64·Σw) / 64.
          corrLo = i32x4.sub(i32x4.shl(corrLo, 1), i32x4.shr_s(corrLo, 6));
          corrHi = i32x4.sub(i32x4.shl(corrHi, 1), i32x4.shr_s(corrHi, 6));
        }
        lo = i32x4.sub(lo, corrLo);
        hi = i32x4.sub(hi, corrHi);
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

/**
 * q7: activations from quantizeRows7 / packQuantizedRows7; rowScales[M] (unused if rawI32);
 * packed: from packInt8Dot; colScales[N]; bias[N] or 0. out = Σ q·w (raw i32 if rawI32, else
 * dequantized f32: f32(acc) · (rowScale · colScale) + bias, as int8Gemm). Uses the relaxed dot
 * instruction in the relaxed-SIMD build.
 */
export function int8GemmDot(q7: usize, rowScales: usize, packed: usize, colScales: usize, bias: usize, out: usize, m: i32, n: i32, k: i32, rawI32: bool): void {
  gemmDot(q7, rowScales, packed, colScales, bias, out, m, n, k, rawI32, true, false);
}

/**
 * int8GemmDot with the emulated dot in every build: same results, for engines whose code for the
 * relaxed dot is wrong (V8 11.3's baseline compiler in Node 20 under
 * --experimental-wasm-relaxed-simd; see src/int8-dot.ts, which probes for it). The plain build
 * only has the emulation, so there it calls int8GemmDot instead of holding a second copy.
 */
export function int8GemmDotExact(q7: usize, rowScales: usize, packed: usize, colScales: usize, bias: usize, out: usize, m: i32, n: i32, k: i32, rawI32: bool): void {
  if (ASC_FEATURE_RELAXED_SIMD) gemmDot(q7, rowScales, packed, colScales, bias, out, m, n, k, rawI32, false, false);
  else int8GemmDot(q7, rowScales, packed, colScales, bias, out, m, n, k, rawI32);
}

/**
 * int8GemmDot on 8-bit activations in the split layout (quantizeRowsSplit /
 * packQuantizedRowsSplit): the same sums as int8Gemm, bit for bit; rowScales are quantizeRows'.
 */
export function int8GemmDotSplit(qs: usize, rowScales: usize, packed: usize, colScales: usize, bias: usize, out: usize, m: i32, n: i32, k: i32, rawI32: bool): void {
  gemmDot(qs, rowScales, packed, colScales, bias, out, m, n, k, rawI32, true, true);
}

/** int8GemmDotSplit with the emulated dot (as int8GemmDotExact). */
export function int8GemmDotSplitExact(qs: usize, rowScales: usize, packed: usize, colScales: usize, bias: usize, out: usize, m: i32, n: i32, k: i32, rawI32: bool): void {
  if (ASC_FEATURE_RELAXED_SIMD) gemmDot(qs, rowScales, packed, colScales, bias, out, m, n, k, rawI32, false, true);
  else int8GemmDotSplit(qs, rowScales, packed, colScales, bias, out, m, n, k, rawI32);
}
