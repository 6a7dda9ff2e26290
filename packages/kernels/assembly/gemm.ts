// f32 GEMM: C[M,N] = A[M,K] · B[K,N] (+ bias, activation, + residual).
// B is prepacked into panels of 8 columns so the inner loop reads it contiguously:
// panel p holds K rows of 8 floats (columns 8p..8p+7, zero padded past N).
import { activate, madd } from "./simd";

const NR: i32 = 8; // columns per packed panel (two f32x4 vectors)
// Rows per micro-tile. 3 x 8 = 6 accumulators: V8 schedules all loads of the 2x-unrolled body
// first (4 B + 6 A vectors), and 6 + 10 still fits the 16 xmm registers; a 4 x 8 tile measured
// ~5% slower because it spills accumulators.
const MR: i32 = 3;

/** Bytes needed for a packed B of shape [K, N]. */
export function packedBBytes(k: i32, n: i32): i32 {
  return ((n + NR - 1) / NR) * k * NR * 4;
}

/**
 * Packs B into 8-column panels. `transposed` means src holds Bᵀ as row-major [N, K]
 * (the layout of a PyTorch Linear weight), otherwise src is row-major [K, N].
 */
export function packB(src: usize, k: i32, n: i32, transposed: bool, dst: usize): void {
  const panels = (n + NR - 1) / NR;
  for (let p = 0; p < panels; p++) {
    const panel = dst + <usize>(p * k * NR) * 4;
    for (let kk = 0; kk < k; kk++) {
      for (let c = 0; c < NR; c++) {
        const col = p * NR + c;
        let value: f32 = 0;
        if (col < n) {
          value = transposed ? load<f32>(src + <usize>(col * k + kk) * 4) : load<f32>(src + <usize>(kk * n + col) * 4);
        }
        store<f32>(panel + <usize>(kk * NR + c) * 4, value);
      }
    }
  }
}

// @ts-expect-error: decorator
@inline function epilogue(acc: v128, bias: usize, residualRow: usize, col: i32, activation: i32): v128 {
  if (bias) acc = f32x4.add(acc, v128.load(bias + <usize>col * 4));
  acc = activate(acc, activation);
  if (residualRow) acc = f32x4.add(acc, v128.load(residualRow + <usize>col * 4));
  return acc;
}

// @ts-expect-error: decorator
@inline function storeRow(row: usize, col: i32, n: i32, lo: v128, hi: v128): void {
  const dst = row + <usize>col * 4;
  if (col + NR <= n) {
    v128.store(dst, lo);
    v128.store(dst, hi, 16);
  } else {
    // Right edge: write only the columns that exist.
    const valid = n - col;
    if (valid > 0) store<f32>(dst, f32x4.extract_lane(lo, 0));
    if (valid > 1) store<f32>(dst, f32x4.extract_lane(lo, 1), 4);
    if (valid > 2) store<f32>(dst, f32x4.extract_lane(lo, 2), 8);
    if (valid > 3) store<f32>(dst, f32x4.extract_lane(lo, 3), 12);
    if (valid > 4) store<f32>(dst, f32x4.extract_lane(hi, 0), 16);
    if (valid > 5) store<f32>(dst, f32x4.extract_lane(hi, 1), 20);
    if (valid > 6) store<f32>(dst, f32x4.extract_lane(hi, 2), 24);
  }
}

/**
 * C = A · packed(B) with fused epilogue: bias[N] (0 = none), activation (see simd.ts),
 * residual[M,N] (0 = none) added last. Reads up to 28 bytes past the end of bias/residual
 * rows on the right edge (the arena keeps slack there); never writes outside C.
 */
export function gemmF32(a: usize, packed: usize, c: usize, m: i32, n: i32, k: i32, bias: usize, residual: usize, activation: i32): void {
  const panels = (n + NR - 1) / NR;
  const rowBytes = <usize>k * 4;
  const outRowBytes = <usize>n * 4;
  // Panel-outer order: one K x 8 panel stays in L1 while every row block streams past it.
  for (let p = 0; p < panels; p++) {
    const panel = packed + <usize>(p * k * NR) * 4;
    const col = p * NR;
    for (let i = 0; i < m; i += MR) {
      // Rows past M are clamped to the last row: computed, never stored.
      const a0 = a + <usize>i * rowBytes;
      const a1 = a + <usize>min(i + 1, m - 1) * rowBytes;
      const a2 = a + <usize>min(i + 2, m - 1) * rowBytes;
      let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
      let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
      let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
      let bp = panel;
      let off: usize = 0;
      let b0: v128, b1: v128, x: v128;
      // Unrolled by 2 with immediate offsets: fewer address computations and loop checks
      // per multiply-add (V8 puts an interrupt check on every loop back-edge).
      const end2 = (rowBytes >> 3) << 3;
      while (off < end2) {
        b0 = v128.load(bp, 0); b1 = v128.load(bp, 16);
        x = v128.load32_splat(a0 + off, 0); c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
        x = v128.load32_splat(a1 + off, 0); c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
        x = v128.load32_splat(a2 + off, 0); c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
        b0 = v128.load(bp, 32); b1 = v128.load(bp, 48);
        x = v128.load32_splat(a0 + off, 4); c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
        x = v128.load32_splat(a1 + off, 4); c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
        x = v128.load32_splat(a2 + off, 4); c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
        bp += 64;
        off += 8;
      }
      while (off < rowBytes) {
        b0 = v128.load(bp, 0); b1 = v128.load(bp, 16);
        x = v128.load32_splat(a0 + off, 0); c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
        x = v128.load32_splat(a1 + off, 0); c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
        x = v128.load32_splat(a2 + off, 0); c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
        bp += 32;
        off += 4;
      }
      const rows = min(MR, m - i);
      let cRow = c + <usize>i * outRowBytes;
      let rRow: usize = residual ? residual + <usize>i * outRowBytes : 0;
      storeRow(cRow, col, n, epilogue(c00, bias, rRow, col, activation), epilogue(c01, bias, rRow, col + 4, activation));
      if (rows > 1) {
        cRow += outRowBytes; if (rRow) rRow += outRowBytes;
        storeRow(cRow, col, n, epilogue(c10, bias, rRow, col, activation), epilogue(c11, bias, rRow, col + 4, activation));
      }
      if (rows > 2) {
        cRow += outRowBytes; if (rRow) rRow += outRowBytes;
        storeRow(cRow, col, n, epilogue(c20, bias, rRow, col, activation), epilogue(c21, bias, rRow, col + 4, activation));
      }
    }
  }
}
