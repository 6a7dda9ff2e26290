// Shared test utilities: seeded random data and error measures relative to the output scale.
import { expect } from "vitest";
import type { Kernels } from "../src/kernels.ts";
import { referenceInt8Accumulate, referenceQuantizeRows } from "../src/reference/int8-gemm.ts";
import { randomF32, randomInt } from "./helpers-core.ts";

export { randomF32, randomInt, rng } from "./helpers-core.ts";

/** max |a - b| / max(max |b|, 1e-30): error relative to the scale of the expected output. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  expect(actual.length).toBe(expected.length);
  let maxDiff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(a) !== Number.isNaN(e)) return Infinity;
    maxDiff = Math.max(maxDiff, Math.abs(a - e));
    scale = Math.max(scale, Math.abs(e));
  }
  return maxDiff / Math.max(scale, 1e-30);
}

/** The acceptance bound: max abs error within 1e-5 of the output scale. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  const err = relativeError(actual, expected);
  expect(err, `relative max abs error ${err}`).toBeLessThanOrEqual(tolerance);
}

export function expectNoNaN(values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) if (Number.isNaN(values[i])) throw new Error(`NaN at index ${i}`);
}

/**
 * One random int8 GEMM problem for the bit-exactness tests: f32 activations (scale 4) and weights
 * (scale 0.3), per-channel quantized weights from `quantizeWeights`, activations quantized by the
 * reference to `activationMax` (127: 8-bit, 63: 7-bit), and the exact integer sums. Odd trials
 * use the transposed weight layout, every third has no bias; `m` overrides the random row count.
 */
export function randomInt8Problem(
  kernels: Kernels,
  random: () => number,
  trial: number,
  sizes: { maxM: number; maxK: number; maxN: number; activationMax: number; m?: number },
) {
  const m = sizes.m ?? randomInt(random, 1, sizes.maxM);
  const k = randomInt(random, 1, sizes.maxK);
  const n = randomInt(random, 1, sizes.maxN);
  const transposed = trial % 2 === 1;
  const a = randomF32(random, m * k, 4);
  const w = randomF32(random, k * n, 0.3);
  const bias = trial % 3 === 0 ? undefined : randomF32(random, n);
  const qw = kernels.quantizeWeights(w, { k, n, transposed });
  const qa = referenceQuantizeRows(a, m, k, sizes.activationMax);
  const acc = referenceInt8Accumulate(qa.values, qw.values, m, k, n, transposed);
  return { m, k, n, transposed, a, bias, qw, qa, acc };
}
