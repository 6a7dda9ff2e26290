import { describe, expect, it } from "vitest";
import { loadKernels } from "../src/node.ts";
import { referenceGemm } from "../src/reference/gemm.ts";
import {
  referenceDequantize,
  referenceInt8Accumulate,
  referenceQuantizeRows,
  referenceQuantizeWeights,
} from "../src/reference/int8-gemm.ts";
import { randomF32, randomInt, randomInt8Problem, relativeError, rng } from "./helpers.ts";

const kernels = loadKernels();

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
}

describe("int8 dot GEMM (7-bit activations, relaxed byte dot product)", () => {
  it("quantizeRows7 is bit-exact to the reference (q in [-63, 63], zero rows)", () => {
    const random = rng(20);
    const [rows, cols] = [9, 45];
    const x = randomF32(random, rows * cols, 3);
    x.fill(0, 2 * cols, 3 * cols);
    const got = kernels.quantizeRows7(x, { rows, cols });
    const want = referenceQuantizeRows(x, rows, cols, 63);
    expect(got.values).toEqual(want.values);
    expect(got.scales).toEqual(want.scales);
    expect(Math.max(...got.values.map(Math.abs))).toBe(63);
  });

  it("accumulators and dequantized output are bit-exact to the integer reference", () => {
    const random = rng(21);
    for (let trial = 0; trial < 40; trial++) {
      const p = randomInt8Problem(kernels, random, trial, { maxM: 27, maxK: 100, maxN: 35, activationMax: 63 });
      const { m, k, n, transposed, qw, qa, acc, bias } = p;
      const packed = kernels.packInt8DotMatrix(qw, { k, n, transposed });
      expect(kernels.int8DotGemmAccumulators(p.a, packed, { m })).toEqual(acc);
      expect(kernels.int8DotGemm(p.a, packed, { m, bias })).toEqual(
        referenceDequantize(acc, qa.scales, qw.scales, m, n, bias),
      );
    }
  });

  it.each([
    { activationBits: 7, lo: -64, hi: 63, seed: 22 },
    { activationBits: 8, lo: -127, hi: 127, seed: 27 },
  ] as const)(
    "int8DotMatMul ($activationBits-bit) is exact on the whole [$lo, $hi] x [-128, 127] range, extremes included",
    ({ activationBits, lo, hi, seed }) => {
      const random = rng(seed);
      for (let trial = 0; trial < 20; trial++) {
        const m = randomInt(random, 1, 20);
        const k = randomInt(random, 1, 70);
        const n = randomInt(random, 1, 30);
        const extremes = trial % 4 === 0;
        const qa = Int8Array.from({ length: m * k }, (_, i) =>
          extremes ? (i % 2 ? lo : hi) : randomInt(random, lo, hi),
        );
        const values = Int8Array.from({ length: k * n }, (_, i) =>
          extremes ? (i % 3 ? -128 : 127) : randomInt(random, -128, 127),
        );
        const packed = kernels.packInt8DotMatrix({ values, scales: new Float32Array(n).fill(1) }, { k, n });
        expect(kernels.int8DotMatMul(qa, packed, { m, activationBits })).toEqual(
          referenceInt8Accumulate(qa, values, m, k, n),
        );
      }
    },
  );

  it("int8DotMatMul rejects values outside [-64, 63], naming the index", () => {
    const [m, k, n] = [3, 40, 8];
    const packed = kernels.packInt8DotMatrix({ values: new Int8Array(k * n), scales: new Float32Array(n) }, { k, n });
    for (const [index, value] of [
      [5, 64],
      [81, -65],
      [119, 127],
      [0, -128],
    ]) {
      const qa = new Int8Array(m * k);
      qa[index] = value;
      expect(() => kernels.int8DotMatMul(qa, packed, { m })).toThrow(`qa[${index}] is ${value}`);
    }
    expect(() => kernels.int8DotMatMul(new Int8Array(5), packed, { m })).toThrow(/qa has length 5, expected 120/);
  });

  it("rejects bad input like int8Gemm (non-finite a, shapes, foreign matrices)", () => {
    const [k, n] = [3, 4];
    const packed = kernels.packInt8DotMatrix(
      { values: new Int8Array(12), scales: new Float32Array(4).fill(1) },
      { k, n },
    );
    const a = new Float32Array(7 * k);
    a[19] = Number.NaN;
    expect(() => kernels.int8DotGemm(a, packed, { m: 7 })).toThrow(/a\[19\] is NaN/);
    expect(() => kernels.int8DotGemm(new Float32Array(5), packed, { m: 2 })).toThrow(/a has length 5, expected 6/);
    expect(() =>
      kernels.packInt8DotMatrix(
        { values: new Int8Array(12), scales: new Float32Array([1, Number.NaN, 1, 1]) },
        { k, n },
      ),
    ).toThrow(/weights.scales\[1\] is NaN/);
    const int8Packed = kernels.packInt8Matrix({ values: new Int8Array(12), scales: new Float32Array(4) }, { k, n });
    expect(() =>
      kernels.int8DotGemm(new Float32Array(6), int8Packed as unknown as Parameters<typeof kernels.int8DotGemm>[1], {
        m: 2,
      }),
    ).toThrow(/b must be a PackedInt8DotMatrix/);
    expect(() => loadKernels().int8DotGemm(new Float32Array(6), packed, { m: 2 })).toThrow(
      /different Kernels instance/,
    );
  });

  it("int8DotGemm writes into options.out like int8Gemm, also when out is a", () => {
    const random = rng(25);
    const [m, k, n] = [5, 16, 16];
    const a = randomF32(random, m * k);
    const bias = randomF32(random, n);
    const packed = kernels.packInt8DotMatrix(kernels.quantizeWeights(randomF32(random, k * n), { k, n }), { k, n });
    const fresh = kernels.int8DotGemm(a, packed, { m, bias });
    const out = new Float32Array(m * n);
    expect(kernels.int8DotGemm(a, packed, { m, bias, out })).toBe(out);
    expect(out).toEqual(fresh);
    const inPlace = a.slice();
    kernels.int8DotGemm(inPlace, packed, { m, bias, out: inPlace });
    expect(inPlace).toEqual(fresh);
    expect(() => kernels.int8DotGemm(a, packed, { m, out: new Float32Array(3) })).toThrow(/out has length 3/);
  });

  describe("activationBits 8 (int8Gemm's 8-bit activations, split into two 7-bit halves)", () => {
    it("equals int8Gemm bit for bit: accumulators and dequantized output with bias and GELU", () => {
      const random = rng(26);
      // m 1-13 covers one to three 5-row blocks with every remainder; k and n cross the 4-k
      // quad and 8-column panel edges.
      for (let trial = 0; trial < 40; trial++) {
        const sizes = { maxM: 31, maxK: 90, maxN: 35, activationMax: 127, ...(trial < 13 ? { m: trial + 1 } : {}) };
        const { m, k, n, transposed, a, qw, qa, acc, bias } = randomInt8Problem(kernels, random, trial, sizes);
        const dot = kernels.packInt8DotMatrix(qw, { k, n, transposed });
        const i16 = kernels.packInt8Matrix(qw, { k, n, transposed });
        expect(kernels.int8DotGemmAccumulators(a, dot, { m, activationBits: 8 })).toEqual(acc);
        const want = referenceDequantize(acc, qa.scales, qw.scales, m, n, bias);
        expect(kernels.int8DotGemm(a, dot, { m, bias, activationBits: 8 })).toEqual(want);
        const activation = "gelu";
        expect(kernels.int8DotGemm(a, dot, { m, bias, activation, activationBits: 8 })).toEqual(
          kernels.int8Gemm(a, i16, { m, bias, activation }),
        );
      }
    });

    it("rejects -128 naming the index, and activationBits other than 7 or 8", () => {
      const [m, k, n] = [3, 40, 8];
      const packed = kernels.packInt8DotMatrix({ values: new Int8Array(k * n), scales: new Float32Array(n) }, { k, n });
      for (const index of [0, 37, 119]) {
        const qa = new Int8Array(m * k);
        qa[index] = -128;
        expect(() => kernels.int8DotMatMul(qa, packed, { m, activationBits: 8 })).toThrow(
          `qa[${index}] is -128; int8DotMatMul needs values in [-127, 127]`,
        );
      }
      const bad = { m, activationBits: 16 } as unknown as { m: number; activationBits: 8 };
      expect(() => kernels.int8DotMatMul(new Int8Array(m * k), packed, bad)).toThrow(
        /activationBits must be 7 or 8, got 16/,
      );
      expect(() => kernels.int8DotGemm(new Float32Array(m * k), packed, bad)).toThrow(TypeError);
    });
  });

  it("int8DotNative reports the relaxed instruction only in the relaxed flavour", () => {
    expect(typeof kernels.int8DotNative()).toBe("boolean");
    if (kernels.flavour === "simd") expect(kernels.int8DotNative()).toBe(false);
  });

  it("packs weights in about half the memory of packInt8Matrix", () => {
    const [k, n] = [384, 1536];
    const qw = kernels.quantizeWeights(randomF32(rng(23), k * n, 0.1), { k, n });
    const before = kernels.memory.stats();
    const dot = kernels.packInt8DotMatrix(qw, { k, n });
    expect(dot.bytes).toBe(k * n + 8 * n);
    const mid = kernels.memory.stats();
    kernels.packInt8Matrix(qw, { k, n });
    const after = kernels.memory.stats();
    const dotBytes = mid.persistentBytes - before.persistentBytes;
    const i16Bytes = after.persistentBytes - mid.persistentBytes;
    expect(dotBytes).toBeLessThan(0.51 * i16Bytes);
  });

  it("precision: 7-bit activations vs int8Gemm against the f32 product", () => {
    // Transformer-like activations: Gaussian-ish rows with a few large outlier channels.
    const random = rng(24);
    const [m, k, n] = [32, 384, 96];
    const a = randomF32(random, m * k);
    for (let r = 0; r < m; r++) for (const c of [7, 100, 301]) a[r * k + c] *= 12;
    const w = randomF32(random, k * n, 0.05);
    const exact = referenceGemm({ a, b: w, m, k, n });
    const qw = referenceQuantizeWeights(w, k, n);
    const y8 = kernels.int8Gemm(a, kernels.packInt8Matrix(qw, { k, n }), { m });
    const y7 = kernels.int8DotGemm(a, kernels.packInt8DotMatrix(qw, { k, n }), { m });
    // Rows are compared like embeddings (cosine); documented in the README.
    const rowCos = (y: Float32Array) =>
      Math.min(
        ...Array.from({ length: m }, (_, r) =>
          cosine(y.subarray(r * n, (r + 1) * n), exact.subarray(r * n, (r + 1) * n)),
        ),
      );
    // One bit less on the activations roughly doubles the error of the product (README).
    expect(rowCos(y8)).toBeGreaterThan(0.999);
    expect(rowCos(y7)).toBeGreaterThan(0.997);
    expect(relativeError(y7, exact)).toBeLessThan(2.5 * relativeError(y8, exact));
  });
});
