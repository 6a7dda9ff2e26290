import { describe, expect, it } from "vitest";
import { loadKernels } from "../src/node.ts";
import { referenceLayerNorm } from "../src/reference/layer-norm.ts";
import { expectClose, randomF32, randomInt, rng } from "./helpers.ts";

const kernels = loadKernels();

describe("layerNorm", () => {
  it("matches the reference with and without fused residual on odd sizes", () => {
    const random = rng(20);
    for (let trial = 0; trial < 20; trial++) {
      const rows = randomInt(random, 1, 9);
      const dim = randomInt(random, 1, 800);
      const x = randomF32(random, rows * dim, 5);
      const residual = trial % 2 ? randomF32(random, rows * dim, 3) : undefined;
      const gamma = randomF32(random, dim);
      const beta = randomF32(random, dim);
      const eps = trial % 3 === 0 ? 1e-5 : 1e-12;
      expectClose(
        kernels.layerNorm(x, gamma, beta, { rows, residual, eps }),
        referenceLayerNorm(x, gamma, beta, rows, eps, residual),
      );
    }
  });

  it("a constant row normalises to beta", () => {
    const dim = 13;
    const beta = Float32Array.from({ length: dim }, (_, i) => i);
    const out = kernels.layerNorm(new Float32Array(dim).fill(3), new Float32Array(dim).fill(2), beta, { rows: 1 });
    expect(Array.from(out)).toEqual(Array.from(beta));
  });

  it("rejects mismatched shapes", () => {
    expect(() =>
      kernels.layerNorm(new Float32Array(10), new Float32Array(4), new Float32Array(4), { rows: 2 }),
    ).toThrow(/x has length 10, expected 8/);
    expect(() => kernels.layerNorm(new Float32Array(8), new Float32Array(4), new Float32Array(3), { rows: 2 })).toThrow(
      /beta has length 3, expected 4/,
    );
    expect(() =>
      kernels.layerNorm(new Float32Array(8), new Float32Array(4), new Float32Array(4), {
        rows: 2,
        residual: new Float32Array(4),
      }),
    ).toThrow(/residual/);
  });
});
