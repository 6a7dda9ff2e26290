// Runs the kernels inside workerd through the Workers entry, which imports the .wasm files as
// modules (`import mod from "./kernels.wasm"` gives a WebAssembly.Module; nothing is compiled
// from bytes at runtime).
import { describe, expect, inject, it } from "vitest";
import simdModule from "../../dist/kernels.simd.wasm";
import { referenceGemm } from "../../src/reference/gemm.ts";
import { createKernels, loadKernels, supportsRelaxedSimd } from "../../src/workers.ts";
import { expectClose, randomF32, rng } from "../helpers.ts";
import { runScenarios } from "./scenarios.ts";

declare module "vitest" {
  interface ProvidedContext {
    nodeResults: Record<string, number[]>;
  }
}

describe("kernels in workerd", () => {
  it("imports the kernels as a compiled WebAssembly.Module and picks a flavour by validation", () => {
    expect(simdModule).toBeInstanceOf(WebAssembly.Module);
    const kernels = loadKernels();
    expect(kernels.flavour).toBe(supportsRelaxedSimd() ? "relaxed-simd" : "simd");
  });

  it("matches the Node results bit for bit on every kernel", () => {
    const kernels = createKernels(simdModule);
    const inWorker = runScenarios(kernels);
    const inNode = inject("nodeResults");
    expect(Object.keys(inWorker).sort()).toEqual(Object.keys(inNode).sort());
    for (const [name, values] of Object.entries(inNode)) {
      expect(inWorker[name], name).toEqual(values);
    }
  });

  it("the flavour chosen by validation (relaxed SIMD where workerd supports it) matches Node within tolerance", () => {
    const inWorker = runScenarios(loadKernels());
    const inNode = inject("nodeResults");
    for (const [name, values] of Object.entries(inNode)) {
      // int8 never uses fused multiply-add, so it stays bit-exact; float kernels may differ in
      // the last bits when relaxed_madd fuses.
      if (name.startsWith("int8") || name === "topK") expect(inWorker[name], name).toEqual(values);
      else expectClose(inWorker[name], values);
    }
  });

  it("int8DotGemm runs the relaxed dot natively in the relaxed flavour (workerd's V8 compiles it right)", () => {
    const kernels = loadKernels();
    expect(kernels.int8DotNative()).toBe(kernels.flavour === "relaxed-simd");
  });

  it("matches the TypeScript reference and enforces the memory budget", () => {
    const kernels = createKernels(simdModule, { memoryBudgetBytes: 1 << 20 });
    const random = rng(7);
    const [m, k, n] = [9, 33, 17];
    const a = randomF32(random, m * k);
    const b = randomF32(random, k * n);
    expectClose(kernels.gemm(a, kernels.packMatrix(b, { k, n }), { m }), referenceGemm({ a, b, m, k, n }));
    expect(() => kernels.packMatrix(new Float32Array(600 * 600), { k: 600, n: 600 })).toThrow(/memory budget exceeded/);
    expect(kernels.memory.stats().scratchBytes).toBe(0);
  });
});
