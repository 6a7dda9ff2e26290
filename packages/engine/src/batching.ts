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

/**
 * Estimated bytes of one sequence of `seq` tokens in flight through the encoder: the JS arrays a
 * layer keeps alive at once (x, q, k, v, context, attention output, the intermediate and the
 * feed-forward output) plus the wasm scratch of the largest call (inputs copied in, output out).
 */
export function encoderBytesPerSequence(shape: ActivationShape, seq: number): number {
  const { hiddenSize: h, intermediateSize: inter, embeddingSize: e } = shape;
  return seq * (8 * h + 3 * inter + 2 * e) * 4;
}
