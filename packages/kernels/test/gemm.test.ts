import { describe, expect, it } from "vitest";
import { PACK_CHUNK_BYTES } from "../src/gemm.ts";
import { loadKernels } from "../src/node.ts";
import { referenceGemm } from "../src/reference/gemm.ts";
import { expectClose, randomF32, randomInt, rng } from "./helpers.ts";

const kernels = loadKernels();

describe("f32 gemm vs reference", () => {
  it("matches on random odd shapes, both weight layouts", () => {
    const random = rng(1);
    for (let trial = 0; trial < 40; trial++) {
      const m = randomInt(random, 1, 37);
      const k = randomInt(random, 1, 70);
      const n = randomInt(random, 1, 45);
      const transposed = trial % 2 === 1;
      const a = randomF32(random, m * k);
      const b = randomF32(random, k * n);
      const packed = kernels.packMatrix(b, { k, n, transposed });
      expectClose(kernels.gemm(a, packed, { m }), referenceGemm({ a, b, m, k, n, transposed }));
    }
  });

  it("matches for every row count 1-13 (every mix of the 6-, 4-, 3-, 2- and 1-row tiles)", () => {
    const random = rng(3);
    const [k, n] = [19, 21];
    const b = randomF32(random, k * n);
    const bias = randomF32(random, n);
    const packed = kernels.packMatrix(b, { k, n });
    for (let m = 1; m <= 13; m++) {
      const a = randomF32(random, m * k);
      const residual = randomF32(random, m * n);
      const got = kernels.gemm(a, packed, { m, bias, activation: "gelu", residual });
      expectClose(got, referenceGemm({ a, b, m, k, n, bias, activation: "gelu", residual }));
    }
  });

  it("accumulates K in blocks for few rows (M <= 24): row counts 1-25, K across block edges", () => {
    // The kernel splits K into 128-step blocks when M <= 24: C gets the bias on the first block,
    // sums on the others and the residual on the last. K = 128, 129 and 300 (128 + 128 + 44).
    const random = rng(4);
    const n = 13;
    for (const k of [128, 129, 300]) {
      const b = randomF32(random, k * n, 0.1);
      const bias = randomF32(random, n);
      const packed = kernels.packMatrix(b, { k, n, transposed: true });
      for (let m = 1; m <= 25; m++) {
        const a = randomF32(random, m * k);
        const residual = randomF32(random, m * n);
        for (const activation of ["none", "gelu"] as const) {
          const got = kernels.gemm(a, packed, { m, bias, activation, residual });
          expectClose(got, referenceGemm({ a, b, m, k, n, bias, activation, residual, transposed: true }));
        }
      }
    }
  });

  it.each(["none", "gelu", "gelu_tanh"] as const)("fuses bias, %s and residual", (activation) => {
    const random = rng(2);
    for (const [m, k, n] of [
      [1, 1, 1],
      [5, 33, 17],
      [13, 64, 40],
      [4, 8, 8],
      [9, 100, 7],
    ]) {
      const a = randomF32(random, m * k, 2);
      const b = randomF32(random, k * n);
      const bias = randomF32(random, n);
      const residual = randomF32(random, m * n);
      const packed = kernels.packMatrix(b, { k, n });
      const got = kernels.gemm(a, packed, { m, bias, activation, residual });
      expectClose(got, referenceGemm({ a, b, m, k, n, bias, activation, residual }));
    }
  });

  it("packs a transposed matrix larger than PACK_CHUNK_BYTES in column blocks, with no more scratch than one block", () => {
    const random = rng(5);
    // 1100 x 1001 f32 = 4.4 MB: two blocks of whole 8-column panels, the last one partial.
    const [m, k, n] = [7, 1100, 1001];
    const local = loadKernels();
    const b = randomF32(random, k * n, 0.05);
    const before = local.memory.stats();
    const packed = local.packMatrix(b, { k, n, transposed: true });
    const after = local.memory.stats();
    expect(after.highWaterMark - after.persistentBytes).toBeLessThanOrEqual(PACK_CHUNK_BYTES + 4096);
    expect(after.persistentBytes - before.persistentBytes).toBeGreaterThan(k * n * 4);
    const a = randomF32(random, m * k);
    expectClose(local.gemm(a, packed, { m }), referenceGemm({ a, b, m, k, n, transposed: true }));
  });

  it("handles a BERT-base sized product", () => {
    const random = rng(3);
    const [m, k, n] = [33, 768, 3072];
    const a = randomF32(random, m * k);
    const b = randomF32(random, k * n, 0.05);
    const bias = randomF32(random, n);
    const packed = kernels.packMatrix(b, { k, n });
    expectClose(
      kernels.gemm(a, packed, { m, bias, activation: "gelu" }),
      referenceGemm({ a, b, m, k, n, bias, activation: "gelu" }),
    );
  });

  it("rejects bad shapes, naming the argument and sizes", () => {
    const packed = kernels.packMatrix(new Float32Array(12), { k: 3, n: 4 });
    expect(() => kernels.gemm(new Float32Array(7), packed, { m: 2 })).toThrow(
      /a has length 7, expected 6 \(\[m=2, k=3\]\)/,
    );
    expect(() => kernels.gemm(new Float32Array(6), packed, { m: 2, bias: new Float32Array(3) })).toThrow(RangeError);
    expect(() => kernels.gemm(new Float32Array(6), packed, { m: 2, residual: new Float32Array(9) })).toThrow(
      /residual/,
    );
    expect(() => kernels.packMatrix(new Float32Array(11), { k: 3, n: 4 })).toThrow(/b has length 11, expected 12/);
    expect(() => kernels.gemm(new Float32Array(6), packed, { m: 0 })).toThrow(/m must be an integer >= 1/);
    expect(() => kernels.gemm([1, 2, 3, 4, 5, 6] as unknown as Float32Array, packed, { m: 2 })).toThrow(TypeError);
    const other = loadKernels();
    expect(() => other.gemm(new Float32Array(6), packed, { m: 2 })).toThrow(/different Kernels instance/);
  });
});
