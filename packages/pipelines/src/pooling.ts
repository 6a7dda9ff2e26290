/**
 * sentence-transformers Pooling over token embeddings [seq, hidden] with an attention mask.
 * Each mode follows sentence_transformers.models.Pooling.forward.
 */
import type { PoolingMode } from "./model.js";

export function pool(tokens: number[][], mask: number[], mode: PoolingMode): number[] {
  const hidden = tokens[0].length;
  const out = new Array<number>(hidden).fill(0);
  switch (mode) {
    case "cls":
      // The first token, whatever the mask says.
      return [...tokens[0]];
    case "max": {
      // Masked positions are set to -1e9 before the max.
      out.fill(-Infinity);
      for (let t = 0; t < tokens.length; t++) {
        for (let k = 0; k < hidden; k++) out[k] = Math.max(out[k], mask[t] ? tokens[t][k] : -1e9);
      }
      return out;
    }
    case "lasttoken": {
      // The last position whose mask is 1 (flip + max); position seq-1 when none is.
      let last = tokens.length - 1;
      for (let t = tokens.length - 1; t >= 0; t--) {
        if (mask[t]) {
          last = t;
          break;
        }
      }
      return [...tokens[last]];
    }
    case "mean":
    case "mean_sqrt_len":
    case "weightedmean": {
      // weightedmean weighs position t (0-based) by t + 1.
      let weightSum = 0;
      tokens.forEach((v, t) => {
        const w = mask[t] * (mode === "weightedmean" ? t + 1 : 1);
        weightSum += w;
        if (w) {
          for (let k = 0; k < hidden; k++) out[k] += v[k] * w;
        }
      });
      const divisor = mode === "mean_sqrt_len" ? Math.sqrt(weightSum) : Math.max(weightSum, 1e-9);
      return out.map((x) => x / divisor);
    }
  }
}
