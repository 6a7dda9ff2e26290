// Fused scaled-dot-product attention with online softmax (FlashAttention-style tiling).
// Layout: q [B, Lq, H·D], k/v [B, Lk, H·D], out [B, Lq, H·D]. Per (batch, head) the keys are
// packed into 8-key panels (D x 8, pre-scaled) so Q·Kᵀ uses the same broadcast micro-kernel as
// GEMM. For each block of QB query rows we walk the keys in blocks of KEY_BLOCK, keeping only
// the running max, running sum and output accumulator per row (QB x D) plus one 4 x KEY_BLOCK
// score tile: never the Lq x Lk matrix.
// Masked scores are -Infinity; a query row whose keys are all masked outputs zeros.
import { TILE, tile6 } from "./gemm";
import { expv, hmax, madd } from "./simd";

// Query rows per micro-tile: 6 in the relaxed build, whose fused multiply-add leaves registers for
// 12 accumulators (as in gemm.ts; 10-15% faster in workerd), else 4.
const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;
const QB: i32 = 4 * MR; // query rows per block (4 micro-tiles share each key block)
const KEY_BLOCK: i32 = 128; // keys per online-softmax step (128: 3-5% faster than 64 at seq 128 and 512, 256 no better)
const NEG_INF: f32 = -Infinity;

// @ts-expect-error: decorator
@inline function roundUp8(x: i32): i32 { return (x + 7) & ~7; }

/** Scratch bytes attention() needs for the given shape (independent of Lq). */
export function attentionScratchBytes(lk: i32, d: i32): i32 {
  const packedK = roundUp8(lk) * d * 4;
  const acc = QB * roundUp8(d) * 4;
  const scores = MR * KEY_BLOCK * 4;
  const keyBias = roundUp8(lk) * 4;
  const rowState = 2 * QB * 4;
  const queryTile = MR * d * 4;
  return packedK + acc + scores + keyBias + rowState + queryTile + 64;
}

/** Packs keys into 8-key panels [D x 8], pre-multiplied by the score scale. */
function packKeys(k: usize, b: i32, h: i32, lk: i32, hd: i32, d: i32, scale: f32, dst: usize): void {
  const panels = roundUp8(lk) >> 3;
  const d4 = d & ~3;
  const scaleV = f32x4.splat(scale);
  for (let p = 0; p < panels; p++) {
    const panel = dst + <usize>(p * d * 8) * 4;
    // Four keys at a time: load 4 x 4 values, transpose, store four 4-key rows of the panel.
    for (let c = 0; c < 8; c += 4) {
      const key = p * 8 + c;
      if (key + 4 <= lk) {
        const k0 = k + <usize>((b * lk + key) * hd + h * d) * 4;
        const k1 = k0 + <usize>hd * 4;
        const k2 = k1 + <usize>hd * 4;
        const k3 = k2 + <usize>hd * 4;
        for (let dd = 0; dd < d4; dd += 4) {
          const off = <usize>dd * 4;
          const r0 = v128.load(k0 + off), r1 = v128.load(k1 + off), r2 = v128.load(k2 + off), r3 = v128.load(k3 + off);
          const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5); // k0d0 k1d0 k0d1 k1d1
          const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5); // k2d0 k3d0 k2d1 k3d1
          const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
          const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
          const out = panel + <usize>(dd * 8 + c) * 4;
          v128.store(out, f32x4.mul(i32x4.shuffle(t0, t1, 0, 1, 4, 5), scaleV));
          v128.store(out, f32x4.mul(i32x4.shuffle(t0, t1, 2, 3, 6, 7), scaleV), 32);
          v128.store(out, f32x4.mul(i32x4.shuffle(t2, t3, 0, 1, 4, 5), scaleV), 64);
          v128.store(out, f32x4.mul(i32x4.shuffle(t2, t3, 2, 3, 6, 7), scaleV), 96);
        }
        for (let dd = d4; dd < d; dd++) {
          for (let cc = 0; cc < 4; cc++) {
            store<f32>(panel + <usize>(dd * 8 + c + cc) * 4, load<f32>(k0 + <usize>(cc * hd + dd) * 4) * scale);
          }
        }
      } else {
        // Last, partial group: scalar, zero past Lk.
        for (let cc = 0; cc < 4; cc++) {
          const kk = key + cc;
          const src = k + <usize>((b * lk + kk) * hd + h * d) * 4;
          for (let dd = 0; dd < d; dd++) {
            store<f32>(panel + <usize>(dd * 8 + c + cc) * 4, kk < lk ? load<f32>(src + <usize>dd * 4) * scale : 0);
          }
        }
      }
    }
  }
}

/** 4 query rows x 8 keys of Q·(scale·K)ᵀ, stored into the score tile at column j. */
// @ts-expect-error: decorator
@inline function scoreTile(q0: usize, q1: usize, q2: usize, q3: usize, panel: usize, d: i32, scores: usize, j: i32): void {
  let s00 = f32x4.splat(0), s01 = f32x4.splat(0);
  let s10 = f32x4.splat(0), s11 = f32x4.splat(0);
  let s20 = f32x4.splat(0), s21 = f32x4.splat(0);
  let s30 = f32x4.splat(0), s31 = f32x4.splat(0);
  let bp = panel;
  let off: usize = 0;
  const end = <usize>d * 4;
  const end2 = (end >> 3) << 3;
  let b0: v128, b1: v128, x: v128;
  // Unrolled by 2 (immediate offsets) to halve the loop overhead; remainder below.
  while (off < end2) {
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    x = v128.load32_splat(q0 + off); s00 = madd(x, b0, s00); s01 = madd(x, b1, s01);
    x = v128.load32_splat(q1 + off); s10 = madd(x, b0, s10); s11 = madd(x, b1, s11);
    x = v128.load32_splat(q2 + off); s20 = madd(x, b0, s20); s21 = madd(x, b1, s21);
    x = v128.load32_splat(q3 + off); s30 = madd(x, b0, s30); s31 = madd(x, b1, s31);
    b0 = v128.load(bp, 32); b1 = v128.load(bp, 48);
    x = v128.load32_splat(q0 + off, 4); s00 = madd(x, b0, s00); s01 = madd(x, b1, s01);
    x = v128.load32_splat(q1 + off, 4); s10 = madd(x, b0, s10); s11 = madd(x, b1, s11);
    x = v128.load32_splat(q2 + off, 4); s20 = madd(x, b0, s20); s21 = madd(x, b1, s21);
    x = v128.load32_splat(q3 + off, 4); s30 = madd(x, b0, s30); s31 = madd(x, b1, s31);
    bp += 64;
    off += 8;
  }
  if (off < end) {
    b0 = v128.load(bp); b1 = v128.load(bp, 16);
    x = v128.load32_splat(q0 + off); s00 = madd(x, b0, s00); s01 = madd(x, b1, s01);
    x = v128.load32_splat(q1 + off); s10 = madd(x, b0, s10); s11 = madd(x, b1, s11);
    x = v128.load32_splat(q2 + off); s20 = madd(x, b0, s20); s21 = madd(x, b1, s21);
    x = v128.load32_splat(q3 + off); s30 = madd(x, b0, s30); s31 = madd(x, b1, s31);
  }
  const t = scores + <usize>j * 4;
  const rowBytes: usize = KEY_BLOCK * 4;
  v128.store(t, s00); v128.store(t, s01, 16);
  v128.store(t + rowBytes, s10); v128.store(t + rowBytes, s11, 16);
  v128.store(t + 2 * rowBytes, s20); v128.store(t + 2 * rowBytes, s21, 16);
  v128.store(t + 3 * rowBytes, s30); v128.store(t + 3 * rowBytes, s31, 16);
}

/** O[4, d0..d0+8] += P[4, 0..jn] · V[j0..j0+jn, d0..d0+8]. */
// @ts-expect-error: decorator
@inline function accumulatePV(acc: usize, accStride: usize, scores: usize, vBase: usize, vStride: usize, jn: i32): void {
  let o00 = v128.load(acc), o01 = v128.load(acc, 16);
  let o10 = v128.load(acc + accStride), o11 = v128.load(acc + accStride, 16);
  let o20 = v128.load(acc + 2 * accStride), o21 = v128.load(acc + 2 * accStride, 16);
  let o30 = v128.load(acc + 3 * accStride), o31 = v128.load(acc + 3 * accStride, 16);
  const rowBytes: usize = KEY_BLOCK * 4;
  let vp = vBase;
  let off: usize = 0;
  const end = <usize>jn * 4;
  const end2 = (end >> 3) << 3;
  let v0: v128, v1: v128, p: v128;
  while (off < end2) {
    v0 = v128.load(vp); v1 = v128.load(vp, 16);
    p = v128.load32_splat(scores + off); o00 = madd(p, v0, o00); o01 = madd(p, v1, o01);
    p = v128.load32_splat(scores + rowBytes + off); o10 = madd(p, v0, o10); o11 = madd(p, v1, o11);
    p = v128.load32_splat(scores + 2 * rowBytes + off); o20 = madd(p, v0, o20); o21 = madd(p, v1, o21);
    p = v128.load32_splat(scores + 3 * rowBytes + off); o30 = madd(p, v0, o30); o31 = madd(p, v1, o31);
    vp += vStride;
    v0 = v128.load(vp); v1 = v128.load(vp, 16);
    p = v128.load32_splat(scores + off, 4); o00 = madd(p, v0, o00); o01 = madd(p, v1, o01);
    p = v128.load32_splat(scores + rowBytes + off, 4); o10 = madd(p, v0, o10); o11 = madd(p, v1, o11);
    p = v128.load32_splat(scores + 2 * rowBytes + off, 4); o20 = madd(p, v0, o20); o21 = madd(p, v1, o21);
    p = v128.load32_splat(scores + 3 * rowBytes + off, 4); o30 = madd(p, v0, o30); o31 = madd(p, v1, o31);
    vp += vStride;
    off += 8;
  }
  if (off < end) {
    v0 = v128.load(vp); v1 = v128.load(vp, 16);
    p = v128.load32_splat(scores + off); o00 = madd(p, v0, o00); o01 = madd(p, v1, o01);
    p = v128.load32_splat(scores + rowBytes + off); o10 = madd(p, v0, o10); o11 = madd(p, v1, o11);
    p = v128.load32_splat(scores + 2 * rowBytes + off); o20 = madd(p, v0, o20); o21 = madd(p, v1, o21);
    p = v128.load32_splat(scores + 3 * rowBytes + off); o30 = madd(p, v0, o30); o31 = madd(p, v1, o31);
  }
  v128.store(acc, o00); v128.store(acc, o01, 16);
  v128.store(acc + accStride, o10); v128.store(acc + accStride, o11, 16);
  v128.store(acc + 2 * accStride, o20); v128.store(acc + 2 * accStride, o21, 16);
  v128.store(acc + 3 * accStride, o30); v128.store(acc + 3 * accStride, o31, 16);
}

/** 6 query rows x 8 keys of Q·(scale·K)ᵀ (relaxed build), stored into the score tile at column j. */
function scoreTile6(q0: usize, rowStride: usize, panel: usize, d: i32, scores: usize, j: i32): void {
  tile6(q0, rowStride, panel, 32, d);
  const rowBytes: usize = KEY_BLOCK * 4;
  for (let r = 0; r < 6; r++) {
    const t = scores + <usize>r * rowBytes + <usize>j * 4;
    v128.store(t, v128.load(TILE + <usize>r * 32));
    v128.store(t, v128.load(TILE + <usize>r * 32, 16), 16);
  }
}

/** O[6, d0..d0+8] += P[6, 0..jn] · V[j0..j0+jn, d0..d0+8] (relaxed build). */
function accumulatePV6(acc: usize, accStride: usize, scores: usize, vBase: usize, vStride: usize, jn: i32): void {
  tile6(scores, <usize>KEY_BLOCK * 4, vBase, vStride, jn);
  for (let r = 0; r < 6; r++) {
    const o = acc + <usize>r * accStride;
    v128.store(o, f32x4.add(v128.load(o), v128.load(TILE + <usize>r * 32)));
    v128.store(o, f32x4.add(v128.load(o, 16), v128.load(TILE + <usize>r * 32, 16)), 16);
  }
}

/**
 * Online-softmax update of one query row for one key block: applies the key mask, bias and
 * causal limit to the raw scores in `row`, turns them into unnormalised probabilities and
 * rescales that row's running sum and output accumulator. State is kept in rowMax/rowSum.
 */
// @ts-ignore: decorator
@inline function softmaxUpdate(
  row: usize, jn: i32, j0: i32, qi: i32, maskRow: usize, biasRow: usize, causal: bool,
  rowMax: usize, rowSum: usize, accRow: usize, dPad: i32,
): void {
  let j = 0;
  let maxV = f32x4.splat(NEG_INF);
  if (!maskRow && !biasRow) {
    for (; j + 4 <= jn; j += 4) maxV = f32x4.pmax(maxV, v128.load(row + <usize>j * 4));
  } else for (; j + 4 <= jn; j += 4) {
    let sv = v128.load(row + <usize>j * 4);
    if (maskRow) sv = f32x4.add(sv, v128.load(maskRow + <usize>j * 4));
    if (biasRow) sv = f32x4.add(sv, v128.load(biasRow + <usize>j * 4));
    v128.store(row + <usize>j * 4, sv);
    maxV = f32x4.pmax(maxV, sv); // single maxps; scores are never NaN
  }
  let blockMax = hmax(maxV);
  for (; j < jn; j++) {
    let sj = load<f32>(row + <usize>j * 4);
    if (maskRow) sj += load<f32>(maskRow + <usize>j * 4);
    if (biasRow) sj += load<f32>(biasRow + <usize>j * 4);
    store<f32>(row + <usize>j * 4, sj);
    blockMax = max(blockMax, sj);
  }
  if (causal && qi + 1 - j0 < jn) {
    // Keys after this query (only in blocks crossing the diagonal) are masked.
    for (j = max(0, qi + 1 - j0); j < jn; j++) store<f32>(row + <usize>j * 4, NEG_INF);
    blockMax = NEG_INF;
    for (j = 0; j < jn; j++) blockMax = max(blockMax, load<f32>(row + <usize>j * 4));
  }
  const mOld = load<f32>(rowMax);
  const mNew = max(mOld, blockMax);
  if (mNew == NEG_INF) {
    // Nothing visible yet in this row: zero probabilities, state unchanged.
    memory.fill(row, 0, <usize>jn * 4);
    return;
  }
  const mv = f32x4.splat(mNew);
  let sumV = f32x4.splat(0);
  for (j = 0; j + 4 <= jn; j += 4) {
    const p = expv(f32x4.sub(v128.load(row + <usize>j * 4), mv));
    v128.store(row + <usize>j * 4, p);
    sumV = f32x4.add(sumV, p);
  }
  let sum = f32x4.extract_lane(sumV, 0) + f32x4.extract_lane(sumV, 1) + f32x4.extract_lane(sumV, 2) + f32x4.extract_lane(sumV, 3);
  for (; j < jn; j++) {
    const sj = load<f32>(row + <usize>j * 4);
    const p: f32 = sj == NEG_INF ? 0 : Mathf.exp(sj - mNew);
    store<f32>(row + <usize>j * 4, p);
    sum += p;
  }
  // e^(mOld - mNew) with the vector exp: cheaper than the software Mathf.exp call.
  const correction: f32 = mOld == NEG_INF ? 0 : f32x4.extract_lane(expv(f32x4.splat(mOld - mNew)), 0);
  if (correction != 1 && mOld != NEG_INF) {
    const cv = f32x4.splat(correction);
    for (let dd = 0; dd < dPad; dd += 4) v128.store(accRow + <usize>dd * 4, f32x4.mul(v128.load(accRow + <usize>dd * 4), cv));
  }
  store<f32>(rowSum, load<f32>(rowSum) * correction + sum);
  store<f32>(rowMax, mNew);
}

/**
 * keyMask: u8 [B, Lk], non-zero = attend (0 = none). causal: query i sees keys j <= i.
 * bias: additive f32 [H, Lq, Lk] (0 = none). probs: if non-zero, also writes the softmax
 * probabilities [B, H, Lq, Lk] (debug; O(Lq·Lk) memory supplied by the caller).
 *
 * Query rows are processed QB = 16 at a time as four 4-row micro-tiles that all consume a key
 * block (KEY_BLOCK keys of K and V, 64 KB at D = 64) while it is still in L1/L2.
 */
export function attention(
  q: usize, k: usize, v: usize, out: usize,
  batch: i32, lq: i32, lk: i32, heads: i32, d: i32,
  scale: f32, keyMask: usize, causal: bool, bias: usize, probs: usize, scratch: usize,
): void {
  const hd = heads * d;
  const dPad = roundUp8(d);
  const accStride = <usize>dPad * 4;
  const packedK = scratch;
  const acc = packedK + <usize>(roundUp8(lk) * d) * 4; // [QB, dPad]
  const scores = acc + <usize>QB * accStride; // [MR, KEY_BLOCK]
  const keyBias = scores + <usize>(MR * KEY_BLOCK) * 4; // [Lk]: 0 = attend, -Infinity = padding
  const rowMax = keyBias + <usize>roundUp8(lk) * 4; // [QB]
  const rowSum = rowMax + <usize>QB * 4; // [QB]
  const queryTile = rowSum + <usize>QB * 4; // [MR, d]: a last, partial micro-tile's query rows
  const rowBytes: usize = KEY_BLOCK * 4;
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < lk; j++) {
      const attend = !keyMask || load<u8>(keyMask + <usize>(b * lk + j)) != 0;
      store<f32>(keyBias + <usize>j * 4, attend ? 0 : NEG_INF);
    }
    for (let h = 0; h < heads; h++) {
      packKeys(k, b, h, lk, hd, d, scale, packedK);
      const vHead = v + <usize>(b * lk * hd + h * d) * 4;
      const qHead = q + <usize>(b * lq * hd + h * d) * 4;
      for (let i0 = 0; i0 < lq; i0 += QB) {
        const blockRows = min(QB, lq - i0);
        memory.fill(acc, 0, <usize>QB * accStride);
        for (let r = 0; r < QB; r++) {
          store<f32>(rowMax + <usize>r * 4, NEG_INF);
          store<f32>(rowSum + <usize>r * 4, 0);
        }
        const keyEnd = causal ? min(lk, i0 + blockRows) : lk;
        for (let j0 = 0; j0 < keyEnd; j0 += KEY_BLOCK) {
          const jn = min(KEY_BLOCK, keyEnd - j0);
          const vBlock = vHead + <usize>(j0 * hd) * 4;
          for (let t = 0; t < blockRows; t += MR) {
            const i = i0 + t;
            const rows = min(MR, lq - i);
            if (causal && j0 > i + rows - 1) continue; // this tile sees none of these keys
            let q0 = qHead + <usize>(i * hd) * 4;
            let qStride = <usize>hd * 4;
            if (rows < MR) {
              // A last, partial micro-tile: copy its rows (the last one repeated) so the tile
              // reads MR rows at one stride; the extra rows are computed, never used.
              for (let r = 0; r < MR; r++) {
                memory.copy(queryTile + <usize>(r * d) * 4, qHead + <usize>(min(i + r, lq - 1) * hd) * 4, <usize>d * 4);
              }
              q0 = queryTile;
              qStride = <usize>d * 4;
            }
            for (let j = 0; j < jn; j += 8) {
              const panel = packedK + <usize>((j0 + j) * d) * 4;
              if (MR == 6) scoreTile6(q0, qStride, panel, d, scores, j);
              else scoreTile(q0, q0 + qStride, q0 + 2 * qStride, q0 + 3 * qStride, panel, d, scores, j);
            }
            for (let r = 0; r < MR; r++) {
              const row = scores + <usize>r * rowBytes;
              if (r >= rows) {
                memory.fill(row, 0, rowBytes);
                continue;
              }
              const qi = i + r;
              const biasRow: usize = bias ? bias + <usize>((h * lq + qi) * lk + j0) * 4 : 0;
              softmaxUpdate(row, jn, j0, qi, keyMask ? keyBias + <usize>j0 * 4 : 0, biasRow, causal,
                rowMax + <usize>(t + r) * 4, rowSum + <usize>(t + r) * 4, acc + <usize>(t + r) * accStride, dPad);
            }
            const accTile = acc + <usize>t * accStride;
            if (MR == 6) {
              for (let dd = 0; dd < d; dd += 8) {
                accumulatePV6(accTile + <usize>dd * 4, accStride, scores, vBlock + <usize>dd * 4, <usize>hd * 4, jn);
              }
            } else {
              for (let dd = 0; dd < d; dd += 8) {
                accumulatePV(accTile + <usize>dd * 4, accStride, scores, vBlock + <usize>dd * 4, <usize>hd * 4, jn);
              }
            }
          }
        }
        // Normalise and write out; rows with no visible key (sum 0) are zeros.
        for (let r = 0; r < blockRows; r++) {
          const l = load<f32>(rowSum + <usize>r * 4);
          const inv: f32 = l > 0 ? <f32>1 / l : 0;
          const accRow = acc + <usize>r * accStride;
          const dst = out + <usize>((b * lq + i0 + r) * hd + h * d) * 4;
          const invV = f32x4.splat(inv);
          let dd = 0;
          for (; dd + 4 <= d; dd += 4) v128.store(dst + <usize>dd * 4, f32x4.mul(v128.load(accRow + <usize>dd * 4), invV));
          for (; dd < d; dd++) store<f32>(dst + <usize>dd * 4, load<f32>(accRow + <usize>dd * 4) * inv);
          if (probs) {
            writeProbabilities(q, k, b, h, i0 + r, lq, lk, heads, d, scale, keyBias, causal, bias, load<f32>(rowMax + <usize>r * 4), inv, probs);
          }
        }
      }
    }
  }
}

/** Debug path: recomputes one row of probabilities from the final max and 1/sum. */
function writeProbabilities(
  q: usize, k: usize, b: i32, h: i32, qi: i32, lq: i32, lk: i32, heads: i32, d: i32,
  scale: f32, keyBias: usize, causal: bool, bias: usize, rowMax: f32, invSum: f32, probs: usize,
): void {
  const hd = heads * d;
  const qRow = q + <usize>((b * lq + qi) * hd + h * d) * 4;
  const dst = probs + <usize>(((b * heads + h) * lq + qi) * lk) * 4;
  for (let key = 0; key < lk; key++) {
    let p: f32 = 0;
    if (invSum > 0 && load<f32>(keyBias + <usize>key * 4) == 0 && !(causal && key > qi)) {
      const kRow = k + <usize>((b * lk + key) * hd + h * d) * 4;
      let dot: f32 = 0;
      for (let dd = 0; dd < d; dd++) dot += load<f32>(qRow + <usize>dd * 4) * load<f32>(kRow + <usize>dd * 4);
      let s = dot * scale;
      if (bias) s += load<f32>(bias + <usize>((h * lq + qi) * lk + key) * 4);
      p = Mathf.exp(s - rowMax) * invSum;
    }
    store<f32>(dst + <usize>key * 4, p);
  }
}
