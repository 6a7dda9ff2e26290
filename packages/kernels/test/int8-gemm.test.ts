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
import { randomF32, randomInt, randomInt8Problem, relativeError, rng } from "./helpers.ts";

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

  it("the fused quantization inside int8Gemm rounds ties to even and clamps like the reference", () => {
    // Identity weights make the accumulators equal to the quantized activations themselves.
    const k = 21; // 2 full SIMD blocks of 8 plus a scalar tail
    const rows = [
      [
        127, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.5, 126.5, -126.5, 4.5, -4.5, 5.5, 0.49999997, -3.5, 6.5, 7.5, 8.5, -8.5,
        9.5, -9.5,
      ],
      [-254, 1, 3, 5, -1, -3, -5, 7, 9, 11, -11, 13, -13, 15, 17, 19, -19, 21, 23, 25, 253],
    ];
    const a = Float32Array.from(rows.flat());
    const m = rows.length;
    const identity = new Int8Array(k * k);
    for (let i = 0; i < k; i++) identity[i * k + i] = 1;
    const packed = kernels.packInt8Matrix({ values: identity, scales: new Float32Array(k).fill(1) }, { k, n: k });
    const want = referenceQuantizeRows(a, m, k).values;
    expect(Int8Array.from(kernels.int8GemmAccumulators(a, packed, { m }))).toEqual(want);
    expect(Array.from(want.slice(1, 7))).toEqual([0, 2, 2, 0, -2, -2]);
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
      const p = randomInt8Problem(kernels, random, trial, { maxM: 21, maxK: 90, maxN: 33, activationMax: 127 });
      const { m, k, n, transposed, a, qw, qa, acc, bias } = p;
      const packed = kernels.packInt8Matrix(qw, { k, n, transposed });
      expect(kernels.int8GemmAccumulators(a, packed, { m })).toEqual(acc);
      const out = kernels.int8Gemm(a, packed, { m, bias });
      expect(out).toEqual(referenceDequantize(acc, qa.scales, qw.scales, m, n, bias));
      expect(out).toEqual(referenceInt8Gemm(a, qw.values, qw.scales, m, k, n, { transposed, bias }));
    }
  });

  it("int8MatMul on pre-quantized rows is bit-exact to the integer reference (full int8 range)", () => {
    const random = rng(14);
    for (let trial = 0; trial < 30; trial++) {
      const m = randomInt(random, 1, 21);
      const k = randomInt(random, 1, 90);
      const n = randomInt(random, 1, 33);
      const transposed = trial % 2 === 1;
      // Any int8 value, -128 included (MatMulInteger-style input), with runs of extremes.
      const qa = Int8Array.from({ length: m * k }, (_, i) =>
        trial % 5 === 0 ? (i % 3 === 0 ? -128 : 127) : randomInt(random, -128, 127),
      );
      const qw = {
        values: Int8Array.from({ length: k * n }, () => randomInt(random, -127, 127)),
        scales: new Float32Array(n).fill(1),
      };
      const packed = kernels.packInt8Matrix(qw, { k, n, transposed });
      expect(kernels.int8MatMul(qa, packed, { m })).toEqual(
        referenceInt8Accumulate(qa, qw.values, m, k, n, transposed),
      );
    }
  });

  it("int8MatMul of quantizeRows output equals int8GemmAccumulators of the f32 rows", () => {
    const random = rng(15);
    const [m, k, n] = [13, 77, 29];
    const a = randomF32(random, m * k, 2);
    const qw = kernels.quantizeWeights(randomF32(random, k * n, 0.2), { k, n });
    const packed = kernels.packInt8Matrix(qw, { k, n });
    const qa = kernels.quantizeRows(a, { rows: m, cols: k });
    expect(kernels.int8MatMul(qa.values, packed, { m })).toEqual(kernels.int8GemmAccumulators(a, packed, { m }));
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
    // Non-finite values anywhere (found through the row scales, named by index).
    const big = new Float32Array(7 * 3);
    big[17] = Number.NaN;
    expect(() => kernels.int8Gemm(big, packed, { m: 7 })).toThrow(/a\[17\] is NaN/);
    big[17] = -Infinity;
    expect(() => kernels.int8GemmAccumulators(big, packed, { m: 7 })).toThrow(/a\[17\] is -Infinity/);
    expect(() => kernels.int8MatMul(new Int8Array(5), packed, { m: 2 })).toThrow(/qa has length 5, expected 6/);
    expect(() => kernels.int8MatMul(new Uint8Array(6) as unknown as Int8Array, packed, { m: 2 })).toThrow(
      /qa must be a Int8Array/,
    );
    expect(() => kernels.int8MatMul(new Int8Array(6), packed, { m: 0 })).toThrow(/m must be an integer >= 1/);
    expect(() => kernels.quantizeWeights(new Float32Array([1, Number.NaN]), { k: 1, n: 2 })).toThrow(RangeError);
  });
});
