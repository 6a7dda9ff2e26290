// Shared test utilities: seeded random data and error measures relative to the output scale.
import { expect } from "vitest";

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
