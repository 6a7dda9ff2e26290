import { describe, expect, it } from "vitest";
import { loadKernels } from "../src/node.ts";
import { referenceAttention } from "../src/reference/attention.ts";
import { expectClose, expectNoNaN, randomF32, randomInt, rng } from "./helpers.ts";

const kernels = loadKernels();

function inputs(seed: number, batch: number, qLen: number, kLen: number, heads: number, headDim: number) {
  const random = rng(seed);
  const hd = heads * headDim;
  return {
    random,
    q: randomF32(random, batch * qLen * hd, 2),
    k: randomF32(random, batch * kLen * hd, 2),
    v: randomF32(random, batch * kLen * hd),
  };
}

describe("fused attention vs reference", () => {
  it.each([32, 64, 96, 128])("head_dim %i, self-attention with padding mask and probabilities", (headDim) => {
    const [batch, seq, heads] = [2, 77, 3];
    const { random, q, k, v } = inputs(headDim, batch, seq, seq, heads, headDim);
    const keyPaddingMask = new Int32Array(batch * seq).map((_, i) => (i % seq < seq - 10 * (i < seq ? 1 : 3) ? 1 : 0));
    const options = { batch, qLen: seq, heads, headDim, keyPaddingMask, returnProbabilities: true };
    const got = kernels.attention(q, k, v, options);
    const want = referenceAttention(q, k, v, options);
    expectClose(got.output, want.output);
    expectClose(got.probabilities ?? [], want.probabilities);
    void random;
  });

  it("random odd shapes: cross-attention, causal, bias, one head, seq 1", () => {
    const random = rng(99);
    for (let trial = 0; trial < 25; trial++) {
      const batch = randomInt(random, 1, 2);
      const qLen = randomInt(random, 1, 70);
      const kLen = trial % 3 === 0 ? qLen : randomInt(random, 1, 150);
      const heads = randomInt(random, 1, 3);
      const headDim = [8, 12, 32, 64, 5][trial % 5];
      const { q, k, v } = inputs(1000 + trial, batch, qLen, kLen, heads, headDim);
      const options = {
        batch,
        qLen,
        kLen,
        heads,
        headDim,
        causal: trial % 4 === 1,
        bias: trial % 2 === 0 ? randomF32(random, heads * qLen * kLen, 3) : undefined,
        keyPaddingMask: trial % 3 === 2 ? new Uint8Array(batch * kLen).map(() => (random() < 0.7 ? 1 : 0)) : undefined,
        scale: trial % 5 === 4 ? 0.3 : undefined,
      };
      const got = kernels.attention(q, k, v, options);
      expectNoNaN(got.output);
      expectClose(got.output, referenceAttention(q, k, v, options).output);
    }
  });

  it("a fully masked query row outputs zeros, not NaN", () => {
    const [batch, seq, heads, headDim] = [2, 9, 2, 32];
    const { q, k, v } = inputs(5, batch, seq, seq, heads, headDim);
    const keyPaddingMask = new Uint8Array(batch * seq).fill(1).fill(0, seq); // batch 1 fully padded
    const got = kernels.attention(q, k, v, {
      batch,
      qLen: seq,
      heads,
      headDim,
      keyPaddingMask,
      returnProbabilities: true,
    });
    const rowLen = seq * heads * headDim;
    expect(Array.from(got.output.subarray(rowLen))).toEqual(new Array(rowLen).fill(0));
    expect(got.output.subarray(0, rowLen).some((x) => x !== 0)).toBe(true);
    expect(got.probabilities?.subarray(heads * seq * seq).every((p) => p === 0)).toBe(true);
    // A -Infinity bias can also mask everything for one query row.
    const bias = new Float32Array(heads * seq * seq).fill(-Infinity, 0, seq);
    const one = rowLen;
    const biased = kernels.attention(q.subarray(0, one), k.subarray(0, one), v.subarray(0, one), {
      batch: 1,
      qLen: seq,
      heads,
      headDim,
      bias,
    });
    expect(biased.output.subarray(0, headDim).every((x) => x === 0)).toBe(true);
  });

  it("causal: the first query only sees the first key", () => {
    const [seq, heads, headDim] = [6, 1, 32];
    const { q, k, v } = inputs(6, 1, seq, seq, heads, headDim);
    const got = kernels.attention(q, k, v, { batch: 1, qLen: seq, heads, headDim, causal: true });
    expectClose(got.output.subarray(0, headDim), v.subarray(0, headDim), 1e-6);
  });

  it("never allocates an Lq x Lk score matrix (scratch is O(seq · head_dim))", () => {
    const [seq, heads, headDim] = [512, 2, 64];
    const { q, k, v } = inputs(7, 1, seq, seq, heads, headDim);
    const fresh = loadKernels();
    fresh.attention(q, k, v, { batch: 1, qLen: seq, heads, headDim });
    const ioBytes = 4 * 4 * seq * heads * headDim; // q, k, v, output
    const extra = fresh.memory.stats().highWaterMark - ioBytes;
    expect(extra).toBeLessThan(seq * headDim * 4 + 16384);
    expect(extra).toBeLessThan(seq * seq * 4);
  });

  it("rejects mismatched shapes", () => {
    const q = new Float32Array(2 * 4 * 8);
    expect(() => kernels.attention(q, q, new Float32Array(10), { batch: 2, qLen: 4, heads: 1, headDim: 8 })).toThrow(
      /v has length 10, expected 64/,
    );
    expect(() =>
      kernels.attention(q, q, q, { batch: 2, qLen: 4, heads: 1, headDim: 8, keyPaddingMask: new Uint8Array(7) }),
    ).toThrow(/keyPaddingMask has length 7, expected 8/);
    expect(() =>
      kernels.attention(q, q, q, { batch: 2, qLen: 4, heads: 1, headDim: 8, bias: new Float32Array(15) }),
    ).toThrow(/bias has length 15, expected 16 \(\[heads=1, qLen=4, kLen=4\]\)/);
    expect(() => kernels.attention(q, q, q, { batch: 2, qLen: 4, heads: 1, headDim: 8, scale: Number.NaN })).toThrow(
      /scale must be finite/,
    );
    expect(() => kernels.attention(q, q, q, { batch: 2, qLen: 4, heads: 3, headDim: 8 })).toThrow(
      /q has length 64, expected 192/,
    );
  });
});
