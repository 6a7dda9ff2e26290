// The `out` option: a kernel writes into the caller's buffer (even one of its own inputs) with the
// same values it would return as a new array, and a wrong buffer is refused before any work.
import { describe, expect, it } from "vitest";
import { loadKernels } from "../src/node.ts";
import { randomF32, rng } from "./helpers.ts";

const kernels = loadKernels();
const random = rng(91);

describe("out buffers", () => {
  const m = 7;
  const k = 24;
  const n = 12;
  const a = randomF32(random, m * k);
  const w = randomF32(random, k * n);
  const bias = randomF32(random, n);
  const residual = randomF32(random, m * n);

  it("gemm writes C into out, also when out is the residual", () => {
    const packed = kernels.packMatrix(w, { k, n });
    const fresh = kernels.gemm(a, packed, { m, bias, residual, activation: "gelu" });
    const out = new Float32Array(m * n);
    expect(kernels.gemm(a, packed, { m, bias, residual, activation: "gelu", out })).toBe(out);
    expect(out).toEqual(fresh);
    const aliased = residual.slice();
    kernels.gemm(a, packed, { m, bias, residual: aliased, activation: "gelu", out: aliased });
    expect(aliased).toEqual(fresh);
  });

  it("int8Gemm, layerNorm, attention and gelu write into out, also in place", () => {
    const q = kernels.packInt8Matrix(kernels.quantizeWeights(w, { k, n }), { k, n });
    const fresh8 = kernels.int8Gemm(a, q, { m, bias });
    const out8 = new Float32Array(m * n);
    expect(kernels.int8Gemm(a, q, { m, bias, out: out8 })).toBe(out8);
    expect(out8).toEqual(fresh8);

    const gamma = randomF32(random, n);
    const beta = randomF32(random, n);
    const ln = kernels.layerNorm(residual, gamma, beta, { rows: m, residual: out8 });
    const lnInPlace = residual.slice();
    kernels.layerNorm(lnInPlace, gamma, beta, { rows: m, residual: out8, out: lnInPlace });
    expect(lnInPlace).toEqual(ln);

    const g = kernels.gelu(residual, "tanh");
    const gInPlace = residual.slice();
    expect(kernels.gelu(gInPlace, "tanh", gInPlace)).toBe(gInPlace);
    expect(gInPlace).toEqual(g);

    const shape = { batch: 1, qLen: m, heads: 3, headDim: 4 };
    const qkv = [0, 1, 2].map(() => randomF32(random, m * 12));
    const att = kernels.attention(qkv[0], qkv[1], qkv[2], shape).output;
    const into = qkv[0].slice();
    expect(kernels.attention(into, qkv[1], qkv[2], { ...shape, out: into }).output).toBe(into);
    expect(into).toEqual(att);
  });

  it("int8Gemm and int8DotGemm apply GELU in wasm memory: exactly gelu() of the plain result", () => {
    const qw = kernels.quantizeWeights(w, { k, n });
    const i16 = kernels.packInt8Matrix(qw, { k, n });
    const dot = kernels.packInt8DotMatrix(qw, { k, n });
    for (const [activation, approximation] of [
      ["gelu", "erf"],
      ["gelu_tanh", "tanh"],
    ] as const) {
      expect(kernels.int8Gemm(a, i16, { m, bias, activation })).toEqual(
        kernels.gelu(kernels.int8Gemm(a, i16, { m, bias }), approximation),
      );
      expect(kernels.int8DotGemm(a, dot, { m, bias, activation })).toEqual(
        kernels.gelu(kernels.int8DotGemm(a, dot, { m, bias }), approximation),
      );
    }
    expect(() => kernels.int8Gemm(a, i16, { m, activation: "relu" as never })).toThrow(/activation must be one of/);
  });

  it("refuses an out of the wrong type or length, naming it", () => {
    const packed = kernels.packMatrix(w, { k, n });
    expect(() => kernels.gemm(a, packed, { m, out: new Float32Array(m * n - 1) })).toThrow(/out has length/);
    expect(() => kernels.gelu(a, "erf", new Float64Array(a.length) as unknown as Float32Array)).toThrow(
      /out must be a Float32Array/,
    );
    const gamma = new Float32Array(n);
    expect(() => kernels.layerNorm(residual, gamma, gamma, { rows: m, out: new Float32Array(1) })).toThrow(
      /out has length/,
    );
  });
});
