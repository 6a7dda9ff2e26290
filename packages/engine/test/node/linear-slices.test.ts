/**
 * Vocabulary-sized Linear layers are packed in slices of output rows, so a GEMM call's output
 * never inflates the wasm arena; the sliced layer must give exactly what one packed matrix gives
 * (f32 and int8), and a hand-computed x·Wᵀ + b.
 */
import { loadKernels } from "@edgeformers/kernels/node";
import { describe, expect, it } from "vitest";
import { GEMM_ROW_BLOCK, LinearLayer, quantizeRowsInSlices } from "../../src/backends/weights.js";
import { SeededRandom } from "../../src/testing/random.js";

describe("LinearLayer slices", () => {
  const kernels = loadKernels();
  const rng = new SeededRandom(9);
  const out = 37;
  const inp = 12;
  const rows = 5;
  const w = rng.normals(out * inp, 0.5);
  const b = rng.normals(out, 0.1);
  const x = rng.normals(rows * inp, 1);

  it.each(["f32", "int8"] as const)("%s: 5 slices equal one packed matrix, with activation and residual", (dtype) => {
    const whole = new LinearLayer(kernels, w, b, out, inp, dtype);
    const sliced = new LinearLayer(kernels, w, b, out, inp, dtype, 8 * inp * 4); // 8 rows per slice
    expect(whole.sliceCount).toBe(1);
    expect(sliced.sliceCount).toBe(5);
    const residual = rng.normals(rows * out, 1);
    expect(Array.from(sliced.apply(x, rows))).toEqual(Array.from(whole.apply(x, rows)));
    expect(Array.from(sliced.apply(x, rows, "gelu", residual))).toEqual(
      Array.from(whole.apply(x, rows, "gelu", residual)),
    );
    if (dtype === "f32") {
      // Hand-derived: y[r][o] = Σ x[r][i]·W[o][i] + b[o].
      const y = sliced.apply(x, rows);
      for (let r = 0; r < rows; r++)
        for (let o = 0; o < out; o++) {
          let sum = b[o];
          for (let i = 0; i < inp; i++) sum += x[r * inp + i] * w[o * inp + i];
          expect(y[r * out + o]).toBeCloseTo(sum, 4);
        }
    }
  });

  it.each(["f32", "int8"] as const)(
    `%s: more than ${GEMM_ROW_BLOCK} rows run in row blocks, each row as if alone, into out and onto its own residual`,
    (dtype) => {
      const layer = new LinearLayer(kernels, w, b, out, inp, dtype, 8 * inp * 4);
      const many = 2 * GEMM_ROW_BLOCK + 3;
      const xs = rng.normals(many * inp, 1);
      const residual = rng.normals(many * out, 1);
      for (const activation of ["gelu", "relu"] as const) {
        const y = layer.apply(xs, many, activation, residual);
        for (const r of [0, GEMM_ROW_BLOCK - 1, GEMM_ROW_BLOCK, many - 1]) {
          const alone = layer.apply(
            xs.subarray(r * inp, (r + 1) * inp),
            1,
            activation,
            residual.subarray(r * out, (r + 1) * out),
          );
          expect(Array.from(y.subarray(r * out, (r + 1) * out))).toEqual(Array.from(alone));
        }
        // In place onto the residual gives the same.
        const into = residual.slice();
        expect(layer.apply(xs, many, activation, into, into)).toBe(into);
        expect(Array.from(into)).toEqual(Array.from(y));
      }
    },
  );

  it("a bert-base feed-forward matrix (3072 x 768 f32, 9.4 MB) is one slice, packed through ≤ 4 MiB of scratch", () => {
    const own = loadKernels();
    const big = new LinearLayer(own, rng.normals(3072 * 768, 0.02), null, 3072, 768, "f32");
    expect(big.sliceCount).toBe(1);
    const stats = own.memory.stats();
    expect(stats.highWaterMark - stats.persistentBytes).toBeLessThanOrEqual(4 * 1024 * 1024 + 4096);
    // A vocabulary-sized decoder still runs in slices (output scratch per GEMM call).
    expect(new LinearLayer(own, rng.normals(8000 * 768, 0.02), null, 8000, 768, "f32").sliceCount).toBe(2);
  });

  it("quantising in row slices gives the kernels' whole-matrix result bit for bit", () => {
    const whole = kernels.quantizeWeights(w, { k: inp, n: out, transposed: true });
    const sliced = quantizeRowsInSlices(kernels, w, out, inp);
    expect(Array.from(sliced.values)).toEqual(Array.from(whole.values));
    expect(Array.from(sliced.scales)).toEqual(Array.from(whole.scales));
  });
});
