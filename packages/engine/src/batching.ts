/**
 * Splitting one forward call into batches that fit the memory budget: rows are sorted by length so
 * each batch is padded only to its own longest row, and a batch grows only while its estimated
 * activations still fit next to the weights.
 */

/**
 * Most tokens (rows × padded length) one batch carries, whatever the budget allows. Past about a
 * thousand tokens the activations of a layer (an FFN intermediate of 1024 × 1536 floats is 6 MB)
 * outgrow the CPU caches and every GEMM slows down — measured on the MiniLM shape, int8: one batch of
 * 8 × 512 took 3.41 s where 8 batches of 512 took 8 × 0.32 s — and activation memory grows with the
 * batch. Long inputs therefore run a few sequences at a time; short ones still batch up to this.
 */
export const MAX_BATCH_TOKENS = 1024;

/** Rows of `seq` tokens that fit MAX_BATCH_TOKENS (at least one). */
export function maxRowsForTokens(seq: number, maxTokens = MAX_BATCH_TOKENS): number {
  return Math.max(1, Math.floor(maxTokens / seq));
}

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
  /** JS buffers of the encoder (see Workspace): the embedding sum and the returned hidden states. */
  js: number;
  /**
   * wasm scratch: the encoder's WasmArrays (x, q, k, v, attention output, intermediate) plus the
   * largest kernel call's own scratch (an int8 GEMM's quantized activations, 2 bytes a value).
   */
  scratch: number;
}

export function encoderBatchBytes(shape: ActivationShape, rows: number, seq: number): BatchBytes {
  const { hiddenSize: h, intermediateSize: inter, embeddingSize: e } = shape;
  const tokens = rows * seq;
  return {
    js: tokens * (e + h) * 4,
    scratch: tokens * ((5 * h + Math.max(inter, e)) * 4 + Math.max(h, inter) * 2),
  };
}
