import { describe, expect, it } from "vitest";
import { loadKernels } from "../src/node.ts";
import { referenceCosineSimilarity, referenceL2Normalize, referenceTopK } from "../src/reference/similarity.ts";
import { expectClose, randomF32, rng } from "./helpers.ts";

const kernels = loadKernels();

describe("similarity", () => {
  it("l2Normalize matches the reference; a zero row stays zero", () => {
    const random = rng(50);
    const [rows, dim] = [6, 385];
    const x = randomF32(random, rows * dim);
    x.fill(0, dim, 2 * dim);
    const got = kernels.l2Normalize(x, { rows, dim });
    expectClose(got, referenceL2Normalize(x, rows, dim));
    expect(got.subarray(dim, 2 * dim).every((v) => v === 0)).toBe(true);
  });

  it("cosineSimilarity matches the reference", () => {
    const random = rng(51);
    const dim = 67;
    const a = randomF32(random, 3 * dim);
    const b = randomF32(random, 41 * dim);
    expectClose(kernels.cosineSimilarity(a, b, { dim }), referenceCosineSimilarity(a, b, dim));
    expect(() => kernels.cosineSimilarity(a, new Float32Array(dim + 1), { dim })).toThrow(
      /corpus must be a Float32Array \[n, dim=67\], got length 68/,
    );
  });

  it("topK matches the reference, with ties, NaN and k = cols", () => {
    const random = rng(52);
    const [rows, cols] = [4, 57];
    const scores = new Float32Array(rows * cols).map(() => Math.round(random() * 20) / 4);
    scores[3] = Number.NaN;
    for (const k of [1, 5, 57]) {
      const got = kernels.topK(scores, k, { rows });
      const want = referenceTopK(scores, rows, k);
      expect(got.indices).toEqual(want.indices);
      expect(got.values).toEqual(want.values);
    }
    expect(() => kernels.topK(scores, 58, { rows })).toThrow(/k=58 exceeds the 57 columns/);
  });
});
