import { describe, expect, it } from "vitest";
import { loadKernels } from "../src/node.ts";
import { referenceGemm } from "../src/reference/gemm.ts";
import {
  referenceDequantize,
  referenceInt8Accumulate,
  referenceInt8Gemm,
  referenceQuantizeRows,
  referenceQuantizeWeights,
  roundHalfEven,
} from "../src/reference/int8-gemm.ts";
import { randomF32, randomInt, relativeError, rng } from "./helpers.ts";

const kernels = loadKernels();

describe("int8 quantization", () => {
  it("rounds half to even like wasm nearest", () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, -2, 2, -3]);
  });

  it("quantizeRows is bit-exact to the reference (including zero rows)", () => {
    const random = rng(10);
    const [rows, cols] = [9, 37];
    const x = randomF32(random, rows * cols, 3);
    x.fill(0, 2 * cols, 3 * cols);
    const got = kernels.quantizeRows(x, { rows, cols });
    const want = referenceQuantizeRows(x, rows, cols);
    expect(got.values).toEqual(want.values);
    expect(got.scales).toEqual(want.scales);
    expect(got.scales[2]).toBe(0);
  });

  it("quantizeWeights is bit-exact to the reference in both layouts", () => {
    const random = rng(11);
    for (const transposed of [false, true]) {
      const [k, n] = [23, 19];
      const w = randomF32(random, k * n, 0.2);
      const got = kernels.quantizeWeights(w, { k, n, transposed });
      const want = referenceQuantizeWeights(w, k, n, transposed);
      expect(got.values).toEqual(want.values);
      expect(got.scales).toEqual(want.scales);
    }
  });
});

describe("int8 gemm", () => {
  it("accumulators and dequantized output are bit-exact to the integer reference", () => {
    const random = rng(12);
    for (let trial = 0; trial < 30; trial++) {
      const m = randomInt(random, 1, 21);
      const k = randomInt(random, 1, 90);
      const n = randomInt(random, 1, 33);
      const transposed = trial % 2 === 0;
      const a = randomF32(random, m * k, 4);
      const w = randomF32(random, k * n, 0.3);
      const bias = trial % 3 === 0 ? undefined : randomF32(random, n);
      const qw = kernels.quantizeWeights(w, { k, n, transposed });
      const packed = kernels.packInt8Matrix(qw, { k, n, transposed });
      const qa = referenceQuantizeRows(a, m, k);
      const acc = referenceInt8Accumulate(qa.values, qw.values, m, k, n, transposed);
      expect(kernels.int8GemmAccumulators(a, packed, { m })).toEqual(acc);
      const out = kernels.int8Gemm(a, packed, { m, bias });
      expect(out).toEqual(referenceDequantize(acc, qa.scales, qw.scales, m, n, bias));
      expect(out).toEqual(referenceInt8Gemm(a, qw.values, qw.scales, m, k, n, { transposed, bias }));
    }
  });

  it("saturates correctly at the int8 extremes (all ±max values)", () => {
    const [m, k, n] = [4, 301, 9];
    const a = new Float32Array(m * k).map((_, i) => (i % 3 === 0 ? -1 : 1));
    const w = new Float32Array(k * n).map((_, i) => (i % 5 === 0 ? -2 : 2));
    const qw = kernels.quantizeWeights(w, { k, n });
    expect(Math.max(...qw.values.map(Math.abs))).toBe(127);
    const packed = kernels.packInt8Matrix(qw, { k, n });
    const qa = referenceQuantizeRows(a, m, k);
    expect(kernels.int8GemmAccumulators(a, packed, { m })).toEqual(
      referenceInt8Accumulate(qa.values, qw.values, m, k, n),
    );
  });

  it("approximates the f32 product within int8 quantization error", () => {
    const random = rng(13);
    const [m, k, n] = [16, 384, 64];
    const a = randomF32(random, m * k);
    const w = randomF32(random, k * n, 0.1);
    const packed = kernels.packInt8Matrix(kernels.quantizeWeights(w, { k, n }), { k, n });
    expect(relativeError(kernels.int8Gemm(a, packed, { m }), referenceGemm({ a, b: w, m, k, n }))).toBeLessThan(0.03);
  });

  it("rejects non-finite scales and bad shapes", () => {
    const values = new Int8Array(12);
    expect(() =>
      kernels.packInt8Matrix({ values, scales: new Float32Array([1, Number.NaN, 1, 1]) }, { k: 3, n: 4 }),
    ).toThrow(/weights.scales\[1\] is NaN/);
    expect(() => kernels.packInt8Matrix({ values, scales: new Float32Array(3) }, { k: 3, n: 4 })).toThrow(
      /weights.scales has length 3, expected 4/,
    );
    expect(() =>
      kernels.packInt8Matrix({ values: new Int8Array(5), scales: new Float32Array(4) }, { k: 3, n: 4 }),
    ).toThrow(/weights.values has length 5/);
    const packed = kernels.packInt8Matrix({ values, scales: new Float32Array(4).fill(1) }, { k: 3, n: 4 });
    expect(() => kernels.int8Gemm(new Float32Array(5), packed, { m: 2 })).toThrow(/a has length 5, expected 6/);
    expect(() => kernels.int8Gemm(new Float32Array([1, 2, Infinity, 0, 0, 0]), packed, { m: 2 })).toThrow(
      /a\[2\] is Infinity/,
    );
    expect(() => kernels.quantizeWeights(new Float32Array([1, Number.NaN]), { k: 1, n: 2 })).toThrow(RangeError);
  });
});
