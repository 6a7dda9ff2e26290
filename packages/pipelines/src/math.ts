/** Numerics shared by the tasks; all computed in float64 like numpy on the float32 logits. */

/** numpy-style stable softmax: exp(x - max) / sum. */
export function softmax(values: readonly number[]): number[] {
  let max = -Infinity;
  for (const v of values) if (v > max) max = v;
  const exps = values.map((v) => Math.exp(v - max));
  let sum = 0;
  for (const e of exps) sum += e;
  return exps.map((e) => e / sum);
}

/** 1 / (1 + exp(-x)), as transformers' text_classification.sigmoid. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Index of the first maximum (numpy argmax). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** Indices sorted by value descending; ties keep index order (a stable sort). */
export function argsortDescending(values: readonly number[]): number[] {
  return values.map((_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
}

/** torch.nn.functional.normalize(p=2, eps=1e-12). */
export function l2Normalize(v: readonly number[]): number[] {
  let sq = 0;
  for (const x of v) sq += x * x;
  const norm = Math.max(Math.sqrt(sq), 1e-12);
  return v.map((x) => x / norm);
}

/** Mean that skips NaN entries (np.nanmean); NaN when every entry is NaN. */
export function nanMean(values: readonly number[]): number {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (!Number.isNaN(v)) {
      sum += v;
      n++;
    }
  }
  return n === 0 ? Number.NaN : sum / n;
}
