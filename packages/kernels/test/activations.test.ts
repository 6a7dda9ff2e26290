import { describe, expect, it } from "vitest";
import { loadKernels } from "../src/node.ts";
import { erf, referenceBiasAdd, referenceGelu, referenceSoftmax } from "../src/reference/activations.ts";
import { expectClose, randomF32, randomInt, rng } from "./helpers.ts";

const kernels = loadKernels();

describe("reference erf", () => {
  it("matches known values", () => {
    expect(erf(0)).toBe(0);
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 14);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 14);
    expect(erf(-2)).toBeCloseTo(-0.9953222650189527, 14);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 14);
  });
});

describe("gelu", () => {
  it.each(["erf", "tanh"] as const)("%s matches the reference over a wide range and odd lengths", (approximation) => {
    const random = rng(30);
    for (const length of [1, 2, 3, 5, 127, 1000]) {
      const x = randomF32(random, length, 8);
      expectClose(kernels.gelu(x, approximation), referenceGelu(x, approximation));
    }
    const extremes = new Float32Array([-100, -20, -9, 0, 9, 20, 100, -0]);
    const got = kernels.gelu(extremes, approximation);
    expectClose(got, referenceGelu(extremes, approximation));
  });
});

describe("biasAdd and softmax", () => {
  it("biasAdd matches the reference", () => {
    const random = rng(31);
    const [rows, cols] = [7, 23];
    const x = randomF32(random, rows * cols);
    const bias = randomF32(random, cols);
    expect(kernels.biasAdd(x, bias, { rows })).toEqual(referenceBiasAdd(x, bias));
    expect(() => kernels.biasAdd(x, bias, { rows: 6 })).toThrow(/x has length 161, expected 138/);
  });

  it("softmax matches the reference; a fully masked row is zeros", () => {
    const random = rng(32);
    for (let trial = 0; trial < 10; trial++) {
      const rows = randomInt(random, 1, 6);
      const cols = randomInt(random, 1, 300);
      const x = randomF32(random, rows * cols, 20);
      if (trial === 3) x.fill(-Infinity, 0, cols);
      const got = kernels.softmax(x, { rows, cols });
      expectClose(got, referenceSoftmax(x, rows, cols));
      if (trial === 3) expect(got.subarray(0, cols).every((p) => p === 0)).toBe(true);
    }
  });
});
