// f32 GEMM: C[M,N] = A[M,K] · B[K,N] (+ bias, activation, + residual).
// B is prepacked into panels of 8 columns so the inner loop reads it contiguously:
// panel p holds K rows of 8 floats (columns 8p..8p+7, zero padded past N).
import { ACTIVATION_GELU_ERF, ACTIVATION_GELU_TANH, geluErfv, geluTanhv, madd } from "./simd";

const NR: i32 = 8; // columns per packed panel (two f32x4 vectors)

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

// Row tiles. A tile function only accumulates one block of rows against one block of a K×8 panel
// and writes the raw sums to TILE; storeTile adds them to C (with the bias on the first K block
// and the residual on the last), and GELU runs afterwards on each finished 8-column strip. With
// GELU applied per tile, the same 6×8 loop ran at 33 instead of 46–49 GFLOP/s in workerd (V8
// compiles the loop worse when the GELU code sits next to it).
//  - 6×8 (relaxed build only): with a fused multiply-add there is no product temporary, so 12
//    accumulators + 2 B vectors + 1 A splat = 15 registers, all of V8's allocatable xmm registers
//    on x64. 8 loads per 12 FMAs. Unrolling it by 2 measured 20% slower.
//  - 4×8 (relaxed build only): the last 4 rows (M = 16 runs 6 + 6 + 4 instead of 6 + 6 + 3 + 1,
//    whose 1-row tile waits on its two FMA chains; 34 → 38 GFLOP/s on 16×384·384×1536 in workerd).
//  - 3×8: mul+add needs a temporary per product; a 4×8 tile spilled and measured ~5% slower.
//  - 2×8 and 1×8: the last rows when M is not a multiple of 3 (M = 128 leaves 2).
const TILE_ROWS: i32 = 6;
/** The 6×8 f32 result of the last tile call. */
export const TILE: usize = memory.data(TILE_ROWS * NR * 4, 16);

// With few rows (one short sequence) each weight is used by only M rows, so streaming B from
// memory is a large share of the time. Splitting K into blocks of KC steps keeps a 4 KB block of
// the panel in L1 while every row tile passes over it, instead of a whole K×8 panel (24–96 KB)
// that falls out of L1 between row tiles. The partial sums collect in STRIP (M×8), not in C:
// C's rows are N floats apart, 12 KB for N = 3072, so they share L1 sets. Measured in workerd at
// M = 16: 16×768·768×3072 and 16×3072·3072×768 went from 27–28 to 32–33 GFLOP/s (26–28 when
// summing in C); KC = 192, 256 and unblocked were slower. With more rows the panel's first pass
// is a small share of its work, and blocking measured no gain.
const SMALL_M: i32 = 24;
const KC: i32 = 128;
const STRIP: usize = memory.data(SMALL_M * NR * 4, 16);
// Where a tile's sums go (see finishTile).
const TO_C: i32 = 0;
const TO_STRIP: i32 = 1;
const ADD_TO_STRIP: i32 = 2;

/**
 * C = A · packed(B) with fused epilogue: bias[N] (0 = none), activation (see simd.ts),
 * residual[M,N] (0 = none) added last. Reads up to 28 bytes past the end of bias/residual
 * rows on the right edge (the arena keeps slack there); never writes outside C.
 */
export function gemmF32(a: usize, packed: usize, c: usize, m: i32, n: i32, k: i32, bias: usize, residual: usize, activation: i32): void {
  const panels = (n + NR - 1) / NR;
  const rowBytes = <usize>k * 4;
  const blocked = m <= SMALL_M;
  const kc = blocked ? KC : k;
  // Bias (and the residual, when there is no activation) are added as tiles are stored; GELU
  // (then the residual) runs on each finished 8-column strip.
  const tileResidual: usize = activation == 0 ? residual : 0;
  // Panel-outer order: one K x 8 panel (or a KC x 8 block of it) stays in L1 while every row
  // block streams past it.
  for (let p = 0; p < panels; p++) {
    const panel = packed + <usize>(p * k * NR) * 4;
    const col = p * NR;
    for (let kb = 0; kb < k; kb += kc) {
      const steps = min(kc, k - kb);
      const aBlock = a + <usize>kb * 4;
      const bBlock = panel + <usize>(kb * NR) * 4;
      const to = !blocked ? TO_C : kb == 0 ? TO_STRIP : ADD_TO_STRIP;
      let i = 0;
      if (ASC_FEATURE_RELAXED_SIMD) {
        for (; i + 6 <= m; i += 6) {
          tile6(aBlock + <usize>i * rowBytes, rowBytes, bBlock, NR * 4, steps);
          finishTile(to, 6, i, c, n, col, bias, tileResidual);
        }
        if (m - i == 4) {
          tile4(aBlock + <usize>i * rowBytes, rowBytes, bBlock, steps);
          finishTile(to, 4, i, c, n, col, bias, tileResidual);
          i += 4;
        }
      }
      for (; i + 3 <= m; i += 3) {
        tile3(aBlock + <usize>i * rowBytes, rowBytes, bBlock, steps);
        finishTile(to, 3, i, c, n, col, bias, tileResidual);
      }
      if (m - i == 2) {
        tile2(aBlock + <usize>i * rowBytes, rowBytes, bBlock, steps);
        finishTile(to, 2, i, c, n, col, bias, tileResidual);
      } else if (m - i == 1) {
        tile1(aBlock + <usize>i * rowBytes, bBlock, steps);
        finishTile(to, 1, i, c, n, col, bias, tileResidual);
      }
    }
    if (blocked) storeRows(STRIP, m, 0, c, n, col, bias, tileResidual);
    // The activation runs on the finished 8-column strip while it is still in cache.
    if (activation != 0) activationStrip(c, m, n, col, residual, activation);
  }
}

/** Moves TILE's rows i..i+rows to C (with bias and residual), or sets or adds them in STRIP. */
function finishTile(to: i32, rows: i32, i: i32, c: usize, n: i32, col: i32, bias: usize, residual: usize): void {
  if (to == TO_C) {
    storeRows(TILE, rows, i, c, n, col, bias, residual);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const t = TILE + <usize>(r * NR) * 4;
    const d = STRIP + <usize>((i + r) * NR) * 4;
    let lo = v128.load(t);
    let hi = v128.load(t, 16);
    if (to == ADD_TO_STRIP) {
      lo = f32x4.add(lo, v128.load(d));
      hi = f32x4.add(hi, v128.load(d, 16));
    }
    v128.store(d, lo);
    v128.store(d, hi, 16);
  }
}

/** C[i.., col..col+8) = src rows (8 floats each) + bias (+ residual); fewer columns at the right edge. */
function storeRows(src: usize, rows: i32, i: i32, c: usize, n: i32, col: i32, bias: usize, residual: usize): void {
  const outRowBytes = <usize>n * 4;
  // Loads past the right edge read slack; storeRow writes only valid columns.
  const biasLo = bias ? v128.load(bias + <usize>col * 4) : f32x4.splat(0);
  const biasHi = bias ? v128.load(bias + <usize>col * 4, 16) : f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const t = src + <usize>(r * NR) * 4;
    const row = <usize>(i + r) * outRowBytes;
    let lo = f32x4.add(v128.load(t), biasLo);
    let hi = f32x4.add(v128.load(t, 16), biasHi);
    if (residual) {
      lo = f32x4.add(lo, v128.load(residual + row + <usize>col * 4));
      hi = f32x4.add(hi, v128.load(residual + row + <usize>col * 4, 16));
    }
    storeRow(c + row, col, n, lo, hi);
  }
}

/**
 * C[:, col..col+8) = activation(C) + residual, on a strip that already holds C + bias. GELU is
 * inlined here, away from the accumulating loops (next to them it slowed them by a third in
 * workerd), and not called per vector (a call cost ~3x the GELU arithmetic).
 */
function activationStrip(c: usize, m: i32, n: i32, col: i32, residual: usize, activation: i32): void {
  const outRowBytes = <usize>n * 4;
  for (let i = 0; i < m; i++) {
    const row = <usize>i * outRowBytes;
    const cRow = c + row;
    // Loads past the right edge read slack or the next row; storeRow writes only valid columns.
    let lo = v128.load(cRow + <usize>col * 4);
    let hi = v128.load(cRow + <usize>col * 4, 16);
    if (activation == ACTIVATION_GELU_ERF) {
      lo = geluErfv(lo);
      hi = geluErfv(hi);
    } else {
      lo = geluTanhv(lo);
      hi = geluTanhv(hi);
    }
    if (residual) {
      lo = f32x4.add(lo, v128.load(residual + row + <usize>col * 4));
      hi = f32x4.add(hi, v128.load(residual + row + <usize>col * 4, 16));
    }
    storeRow(cRow, col, n, lo, hi);
  }
}

// @ts-expect-error: decorator
@inline function saveTileRow(r: i32, lo: v128, hi: v128): void {
  v128.store(TILE + <usize>(r * NR) * 4, lo);
  v128.store(TILE + <usize>(r * NR) * 4, hi, 16);
}

/**
 * TILE[6, 8] = Σ_s A[r, s] · B[s, 0..8] over `steps` steps: A holds one f32 per step for each of
 * 6 rows `aStride` bytes apart, B one row of 8 f32 per step, rows `bStride` bytes apart. GEMM
 * runs it on packed panels (bStride 32); attention on Q·(packed K) and on P·V.
 */
export function tile6(a0: usize, aStride: usize, b: usize, bStride: usize, steps: i32): void {
  tileRows(6, a0, aStride, b, bStride, steps);
}

/** TILE[4, 8], as tile6 on packed panels (relaxed build only: with mul+add it spills). */
function tile4(a0: usize, aStride: usize, b: usize, steps: i32): void {
  tileRows(4, a0, aStride, b, NR * 4, steps);
}

/**
 * The body of tile6 and tile4: `rows` is a constant at each (inlined) call, so the unused rows'
 * statements fold away and each caller gets the straight-line loop written here.
 */
// @ts-expect-error: decorator
@inline function tileRows(rows: i32, a0: usize, aStride: usize, b: usize, bStride: usize, steps: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0), c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  let bp = b;
  let ap = a0;
  const end = a0 + <usize>steps * 4;
  let b0: v128, b1: v128, x: v128;
  while (ap < end) {
    b0 = v128.load(bp, 0); b1 = v128.load(bp, 16);
    x = v128.load32_splat(ap); c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(ap + aStride); c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(ap + 2 * aStride); c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(ap + 3 * aStride); c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    if (rows > 4) {
      x = v128.load32_splat(ap + 4 * aStride); c40 = madd(x, b0, c40); c41 = madd(x, b1, c41);
      x = v128.load32_splat(ap + 5 * aStride); c50 = madd(x, b0, c50); c51 = madd(x, b1, c51);
    }
    bp += bStride;
    ap += 4;
  }
  saveTileRow(0, c00, c01);
  saveTileRow(1, c10, c11);
  saveTileRow(2, c20, c21);
  saveTileRow(3, c30, c31);
  if (rows > 4) {
    saveTileRow(4, c40, c41);
    saveTileRow(5, c50, c51);
  }
}

/** TILE[3, 8] from 3 rows `aStride` bytes apart and `steps` rows of a packed panel (32 bytes apart). */
function tile3(a0: usize, aStride: usize, b: usize, steps: i32): void {
  const a1 = a0 + aStride;
  const a2 = a1 + aStride;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let bp = b;
  let off: usize = 0;
  const bytes = <usize>steps * 4;
  let b0: v128, b1: v128, x: v128;
  // Unrolled by 2 with immediate offsets: fewer address computations and loop checks
  // per multiply-add (V8 puts an interrupt check on every loop back-edge).
  const end2 = (bytes >> 3) << 3;
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
  if (off < bytes) {
    b0 = v128.load(bp, 0); b1 = v128.load(bp, 16);
    x = v128.load32_splat(a0 + off, 0); c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a1 + off, 0); c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a2 + off, 0); c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
  }
  saveTileRow(0, c00, c01);
  saveTileRow(1, c10, c11);
  saveTileRow(2, c20, c21);
}

function tile2(a0: usize, aStride: usize, b: usize, steps: i32): void {
  const a1 = a0 + aStride;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let bp = b;
  let off: usize = 0;
  const bytes = <usize>steps * 4;
  while (off < bytes) {
    const b0 = v128.load(bp, 0);
    const b1 = v128.load(bp, 16);
    let x = v128.load32_splat(a0 + off); c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a1 + off); c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    bp += 32;
    off += 4;
  }
  saveTileRow(0, c00, c01);
  saveTileRow(1, c10, c11);
}

function tile1(a0: usize, b: usize, steps: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let bp = b;
  let off: usize = 0;
  const bytes = <usize>steps * 4;
  while (off < bytes) {
    const x = v128.load32_splat(a0 + off);
    c00 = madd(x, v128.load(bp, 0), c00);
    c01 = madd(x, v128.load(bp, 16), c01);
    bp += 32;
    off += 4;
  }
  saveTileRow(0, c00, c01);
}
