/**
 * Splitting one forward call into batches that fit the memory budget: rows are sorted by length so
 * each batch is padded only to its own longest row, and a batch grows only while its estimated
 * activations still fit next to the weights.
 */

/** Groups of row indices, each to be run as one padded batch. */
export function planBatches(lengths: readonly number[], maxRowsFor: (seq: number) => number): number[][] {
  const order = lengths.map((_, i) => i).sort((a, b) => lengths[a] - lengths[b] || a - b);
  const groups: number[][] = [];
  let current: number[] = [];
  for (const i of order) {
    // Sorted ascending, so the row being added is the longest of its group and sets its padding.
    if (current.length > 0 && current.length + 1 > maxRowsFor(lengths[i])) {
      groups.push(current);
      current = [];
    }
    current.push(i);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

export interface ActivationShape {
  hiddenSize: number;
  intermediateSize: number;
  embeddingSize: number;
}

/** Estimated bytes of a batch in flight, split by where they live. */
export interface BatchBytes {
  /** JS arrays a layer keeps alive at once: embeddings sum, x, q, k, v, context, attention out, intermediate. */
  js: number;
  /** wasm scratch of the largest kernel call (attention: q, k, v, output; GEMM: input and output). */
  scratch: number;
}

export function encoderBatchBytes(shape: ActivationShape, rows: number, seq: number): BatchBytes {
  const { hiddenSize: h, intermediateSize: inter, embeddingSize: e } = shape;
  const tokens = rows * seq;
  return {
    js: tokens * (7 * h + inter + e) * 4,
    scratch: tokens * Math.max(5 * h, h + inter, e + h) * 4,
  };
}
