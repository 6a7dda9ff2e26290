// Fused scaled-dot-product attention with online softmax (FlashAttention-style tiling).
// Layout: q [B, Lq, H·D], k/v [B, Lk, H·D], out [B, Lq, H·D]. Per (batch, head) the keys are
// packed into 8-key panels (D x 8) so Q·Kᵀ uses the same broadcast micro-kernel as GEMM.
// For each block of 4 query rows we walk the keys in blocks of KEY_BLOCK, keeping only the
// running max m, running sum l and the output accumulator O (4 x D): never the Lq x Lk matrix.
// Masked scores are -Infinity; a query row whose keys are all masked outputs zeros.
import { expv, hmax, madd } from "./simd";

const MR: i32 = 4;
const KEY_BLOCK: i32 = 64;
const NEG_INF: f32 = -Infinity;

// @ts-expect-error: decorator
@inline function roundUp8(x: i32): i32 { return (x + 7) & ~7; }

/** Scratch bytes attention() needs for the given shape (independent of Lq). */
export function attentionScratchBytes(lk: i32, d: i32): i32 {
  const packedK = roundUp8(lk) * d * 4;
  const acc = MR * roundUp8(d) * 4;
  const scores = MR * KEY_BLOCK * 4;
  const keyBias = roundUp8(lk) * 4;
  return packedK + acc + scores + keyBias + 64;
}

function packKeys(k: usize, b: i32, h: i32, lk: i32, hd: i32, d: i32, dst: usize): void {
  const panels = roundUp8(lk) >> 3;
  for (let p = 0; p < panels; p++) {
    for (let c = 0; c < 8; c++) {
      const key = p * 8 + c;
      const src = k + <usize>((b * lk + key) * hd + h * d) * 4;
      for (let dd = 0; dd < d; dd++) {
        store<f32>(dst + <usize>((p * d + dd) * 8 + c) * 4, key < lk ? load<f32>(src + <usize>dd * 4) : 0);
      }
    }
  }
}

/** 4 query rows x 8 keys of Q·Kᵀ, scaled, stored into the score tile at column j. */
// @ts-expect-error: decorator
@inline function scoreTile(q0: usize, q1: usize, q2: usize, q3: usize, panel: usize, d: i32, scale: v128, scores: usize, j: i32): void {
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
  v128.store(t, f32x4.mul(s00, scale)); v128.store(t, f32x4.mul(s01, scale), 16);
  v128.store(t + rowBytes, f32x4.mul(s10, scale)); v128.store(t + rowBytes, f32x4.mul(s11, scale), 16);
  v128.store(t + 2 * rowBytes, f32x4.mul(s20, scale)); v128.store(t + 2 * rowBytes, f32x4.mul(s21, scale), 16);
  v128.store(t + 3 * rowBytes, f32x4.mul(s30, scale)); v128.store(t + 3 * rowBytes, f32x4.mul(s31, scale), 16);
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

/**
 * keyMask: u8 [B, Lk], non-zero = attend (0 = none). causal: query i sees keys j <= i.
 * bias: additive f32 [H, Lq, Lk] (0 = none). probs: if non-zero, also writes the softmax
 * probabilities [B, H, Lq, Lk] (debug; O(Lq·Lk) memory supplied by the caller).
 */
export function attention(
  q: usize, k: usize, v: usize, out: usize,
  batch: i32, lq: i32, lk: i32, heads: i32, d: i32,
  scale: f32, keyMask: usize, causal: bool, bias: usize, probs: usize, scratch: usize,
): void {
  const hd = heads * d;
  const dPad = roundUp8(d);
  const packedK = scratch;
  const acc = packedK + <usize>(roundUp8(lk) * d) * 4;
  const accStride = <usize>dPad * 4;
  const scores = acc + <usize>(MR * dPad) * 4;
  // Per-key additive mask for the current batch: 0 = attend, -Infinity = padding.
  const keyBias = scores + <usize>(MR * KEY_BLOCK) * 4;
  const scaleV = f32x4.splat(scale);
  const rowBytes: usize = KEY_BLOCK * 4;
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < lk; j++) {
      const attend = !keyMask || load<u8>(keyMask + <usize>(b * lk + j)) != 0;
      store<f32>(keyBias + <usize>j * 4, attend ? 0 : NEG_INF);
    }
    for (let h = 0; h < heads; h++) {
      packKeys(k, b, h, lk, hd, d, packedK);
      const vHead = v + <usize>(b * lk * hd + h * d) * 4;
      for (let i = 0; i < lq; i += MR) {
        const rows = min(MR, lq - i);
        const q0 = q + <usize>((b * lq + i) * hd + h * d) * 4;
        const q1 = q + <usize>((b * lq + min(i + 1, lq - 1)) * hd + h * d) * 4;
        const q2 = q + <usize>((b * lq + min(i + 2, lq - 1)) * hd + h * d) * 4;
        const q3 = q + <usize>((b * lq + min(i + 3, lq - 1)) * hd + h * d) * 4;
        memory.fill(acc, 0, <usize>(MR * dPad) * 4);
        let m0 = NEG_INF, m1 = NEG_INF, m2 = NEG_INF, m3 = NEG_INF;
        let l0: f32 = 0, l1: f32 = 0, l2: f32 = 0, l3: f32 = 0;
        const keyEnd = causal ? min(lk, i + rows) : lk;
        for (let j0 = 0; j0 < keyEnd; j0 += KEY_BLOCK) {
          const jn = min(KEY_BLOCK, keyEnd - j0);
          for (let j = 0; j < jn; j += 8) {
            scoreTile(q0, q1, q2, q3, packedK + <usize>((j0 + j) * d) * 4, d, scaleV, scores, j);
          }
          // Bias and masks, then the online-softmax update, one query row at a time.
          for (let r = 0; r < MR; r++) {
            const row = scores + <usize>r * rowBytes;
            const qi = i + r;
            if (r >= rows) {
              // Clamped duplicate row: contributes nothing.
              memory.fill(row, 0, rowBytes);
              continue;
            }
            const maskRow = keyBias + <usize>j0 * 4;
            const biasRow: usize = bias ? bias + <usize>((h * lq + qi) * lk + j0) * 4 : 0;
            let j = 0;
            let maxV = f32x4.splat(NEG_INF);
            for (; j + 4 <= jn; j += 4) {
              let sv = f32x4.add(v128.load(row + <usize>j * 4), v128.load(maskRow + <usize>j * 4));
              if (biasRow) sv = f32x4.add(sv, v128.load(biasRow + <usize>j * 4));
              v128.store(row + <usize>j * 4, sv);
              maxV = f32x4.max(maxV, sv);
            }
            for (; j < jn; j++) {
              let sj = load<f32>(row + <usize>j * 4) + load<f32>(maskRow + <usize>j * 4);
              if (biasRow) sj += load<f32>(biasRow + <usize>j * 4);
              store<f32>(row + <usize>j * 4, sj);
            }
            if (causal) {
              // Only the diagonal block has keys after this query.
              for (let jj = max(0, qi + 1 - j0); jj < jn; jj++) store<f32>(row + <usize>jj * 4, NEG_INF);
            }
            let blockMax = hmax(maxV);
            for (j = (jn >> 2) << 2; j < jn; j++) blockMax = max(blockMax, load<f32>(row + <usize>j * 4));
            if (causal && qi + 1 - j0 < jn) {
              blockMax = NEG_INF;
              for (j = 0; j < jn; j++) blockMax = max(blockMax, load<f32>(row + <usize>j * 4));
            }
            const mOld = r == 0 ? m0 : r == 1 ? m1 : r == 2 ? m2 : m3;
            const mNew = max(mOld, blockMax);
            // Pad the tile to a multiple of 8 with zero probability.
            for (let j = jn; j < ((jn + 7) & ~7); j++) store<f32>(row + <usize>j * 4, 0);
            if (mNew == NEG_INF) {
              // Nothing visible yet in this row: probabilities are all zero, state unchanged.
              for (let j = 0; j < jn; j++) store<f32>(row + <usize>j * 4, 0);
              continue;
            }
            const mv = f32x4.splat(mNew);
            let sumV = f32x4.splat(0);
            j = 0;
            for (; j + 4 <= jn; j += 4) {
              const p = expv(f32x4.sub(v128.load(row + <usize>j * 4), mv));
              v128.store(row + <usize>j * 4, p);
              sumV = f32x4.add(sumV, p);
            }
            let sum = f32x4.extract_lane(sumV, 0) + f32x4.extract_lane(sumV, 1) + f32x4.extract_lane(sumV, 2) + f32x4.extract_lane(sumV, 3);
            for (; j < jn; j++) {
              const s = load<f32>(row + <usize>j * 4);
              const p: f32 = s == NEG_INF ? 0 : Mathf.exp(s - mNew);
              store<f32>(row + <usize>j * 4, p);
              sum += p;
            }
            const correction: f32 = mOld == NEG_INF ? 0 : Mathf.exp(mOld - mNew);
            const accRow = acc + <usize>r * accStride;
            if (correction != 1) {
              const cv = f32x4.splat(correction);
              for (let dd = 0; dd < dPad; dd += 4) v128.store(accRow + <usize>dd * 4, f32x4.mul(v128.load(accRow + <usize>dd * 4), cv));
            }
            if (r == 0) { l0 = l0 * correction + sum; m0 = mNew; }
            else if (r == 1) { l1 = l1 * correction + sum; m1 = mNew; }
            else if (r == 2) { l2 = l2 * correction + sum; m2 = mNew; }
            else { l3 = l3 * correction + sum; m3 = mNew; }
          }
          const vBlock = vHead + <usize>(j0 * hd) * 4;
          for (let dd = 0; dd < d; dd += 8) {
            accumulatePV(acc + <usize>dd * 4, accStride, scores, vBlock + <usize>dd * 4, <usize>hd * 4, jn);
          }
        }
        // Normalise and write out; rows with no visible key (l == 0) are zeros.
        for (let r = 0; r < rows; r++) {
          const l = r == 0 ? l0 : r == 1 ? l1 : r == 2 ? l2 : l3;
          const inv: f32 = l > 0 ? <f32>1 / l : 0;
          const accRow = acc + <usize>r * accStride;
          const dst = out + <usize>((b * lq + i + r) * hd + h * d) * 4;
          for (let dd = 0; dd < d; dd++) store<f32>(dst + <usize>dd * 4, load<f32>(accRow + <usize>dd * 4) * inv);
          if (probs) {
            const mr = r == 0 ? m0 : r == 1 ? m1 : r == 2 ? m2 : m3;
            writeProbabilities(q, k, b, h, i + r, lq, lk, heads, d, scale, keyBias, causal, bias, mr, inv, probs);
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
