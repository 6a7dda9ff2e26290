import { describe, expect, it } from "vitest";
import { loadKernels, supportsRelaxedSimd } from "../src/node.ts";
import { referenceGemm } from "../src/reference/gemm.ts";
import { expectClose, randomF32, rng } from "./helpers.ts";

describe("arena", () => {
  it("releases scratch after every call and reports a high-water mark", () => {
    const kernels = loadKernels();
    const packed = kernels.packMatrix(new Float32Array(64 * 32), { k: 64, n: 32 });
    const persistent = kernels.memory.stats().persistentBytes;
    expect(persistent).toBeGreaterThanOrEqual(64 * 32 * 4);
    for (let i = 0; i < 3; i++) kernels.gemm(new Float32Array(100 * 64), packed, { m: 100 });
    const stats = kernels.memory.stats();
    expect(stats.scratchBytes).toBe(0);
    expect(stats.persistentBytes).toBe(persistent);
    expect(stats.highWaterMark).toBeGreaterThanOrEqual(persistent + 100 * 64 * 4 + 100 * 32 * 4);
    // Failed calls release their scratch too.
    expect(() => kernels.gemm(new Float32Array(3), packed, { m: 100 })).toThrow();
    expect(kernels.memory.stats().scratchBytes).toBe(0);
  });

  it("grows memory and keeps results correct across growth (views recreated)", () => {
    const kernels = loadKernels();
    const random = rng(60);
    const [k, n] = [96, 40];
    const b = randomF32(random, k * n);
    const packed = kernels.packMatrix(b, { k, n });
    const before = kernels.memory.stats().memoryBytes;
    const m = 3000; // ~1.6 MB of activations forces memory.grow
    const a = randomF32(random, m * k);
    expectClose(kernels.gemm(a, packed, { m }), referenceGemm({ a, b, m, k, n }));
    expect(kernels.memory.stats().memoryBytes).toBeGreaterThan(before);
  });

  it("throws a RangeError naming the sizes when the budget is exceeded, and stays usable", () => {
    const kernels = loadKernels({ memoryBudgetBytes: 256 * 1024 });
    const packed = kernels.packMatrix(new Float32Array(16 * 16), { k: 16, n: 16 });
    expect(() => kernels.gemm(new Float32Array(5000 * 16), packed, { m: 5000 })).toThrow(
      /memory budget exceeded: a needs 320000 bytes with \d+ bytes already in use \(budget 262144 bytes\)/,
    );
    expect(() => kernels.packMatrix(new Float32Array(300 * 300), { k: 300, n: 300 })).toThrow(RangeError);
    expect(kernels.memory.stats().scratchBytes).toBe(0);
    expect(kernels.gemm(new Float32Array(16).fill(1), packed, { m: 1 })).toEqual(new Float32Array(16));
  });

  it("picks relaxed SIMD exactly when the engine validates it, plain SIMD otherwise", () => {
    expect(loadKernels().flavour).toBe(supportsRelaxedSimd() ? "relaxed-simd" : "simd");
    expect(loadKernels({ forceFlavour: "simd" }).flavour).toBe("simd");
  });
});

describe("flavour selection", () => {
  it("the relaxed-SIMD probe matches the engine's support (off by default in Node 20)", () => {
    const flagged = process.execArgv.includes("--experimental-wasm-relaxed-simd");
    if (Number(process.versions.node.split(".")[0]) === 20) expect(supportsRelaxedSimd()).toBe(flagged);
  });

  it("runs the flavour this test project is configured for", () => {
    const expected = process.env.KERNELS_EXPECT_FLAVOUR;
    if (expected) expect(loadKernels().flavour).toBe(expected);
    else throw new Error("KERNELS_EXPECT_FLAVOUR not set by vitest.config.ts");
  });
});
