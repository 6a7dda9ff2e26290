// Reference pooling; sequences with no real token pool to zeros (as in the kernel).
import type { Mask } from "../errors.ts";
import type { PoolingMode } from "../pooling.ts";

export function referencePool(
  hidden: Float32Array,
  mode: PoolingMode,
  batch: number,
  seq: number,
  dim: number,
  mask?: Mask,
): Float32Array {
  const out = new Float32Array(batch * dim);
  for (let b = 0; b < batch; b++) {
    if (mode === "cls") {
      out.set(hidden.subarray(b * seq * dim, b * seq * dim + dim), b * dim);
      continue;
    }
    const acc = new Float64Array(dim).fill(mode === "max" ? -Infinity : 0);
    let count = 0;
    for (let s = 0; s < seq; s++) {
      if (mask && mask[b * seq + s] === 0) continue;
      count++;
      for (let j = 0; j < dim; j++) {
        const v = hidden[(b * seq + s) * dim + j];
        acc[j] = mode === "max" ? Math.max(acc[j], v) : acc[j] + v;
      }
    }
    if (count === 0) continue;
    for (let j = 0; j < dim; j++) out[b * dim + j] = mode === "mean" ? acc[j] / count : acc[j];
  }
  return out;
}
