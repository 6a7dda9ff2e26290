// Reference attention: materialises the full score matrix (what the kernel avoids), float64.
import type { AttentionOptions } from "../attention.ts";

export function referenceAttention(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  options: AttentionOptions,
): { output: Float32Array; probabilities: Float32Array } {
  const { batch, qLen, heads, headDim: d, causal = false, bias, keyPaddingMask } = options;
  const kLen = options.kLen ?? qLen;
  const scale = options.scale ?? 1 / Math.sqrt(d);
  const hd = heads * d;
  const output = new Float32Array(batch * qLen * hd);
  const probabilities = new Float32Array(batch * heads * qLen * kLen);
  const scores = new Float64Array(kLen);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      for (let i = 0; i < qLen; i++) {
        let max = -Infinity;
        for (let j = 0; j < kLen; j++) {
          const visible = keyPaddingMask?.[b * kLen + j] !== 0 && !(causal && j > i);
          let s = -Infinity;
          if (visible) {
            s = 0;
            for (let t = 0; t < d; t++) s += q[(b * qLen + i) * hd + h * d + t] * k[(b * kLen + j) * hd + h * d + t];
            s *= scale;
            if (bias) s += bias[(h * qLen + i) * kLen + j];
          }
          scores[j] = s;
          max = Math.max(max, s);
        }
        // Fully masked row: probabilities and output stay zero.
        if (max === -Infinity) continue;
        let sum = 0;
        for (let j = 0; j < kLen; j++) {
          scores[j] = Math.exp(scores[j] - max);
          sum += scores[j];
        }
        const probRow = ((b * heads + h) * qLen + i) * kLen;
        for (let j = 0; j < kLen; j++) probabilities[probRow + j] = scores[j] / sum;
        for (let t = 0; t < d; t++) {
          let o = 0;
          for (let j = 0; j < kLen; j++) o += scores[j] * v[(b * kLen + j) * hd + h * d + t];
          output[(b * qLen + i) * hd + h * d + t] = o / sum;
        }
      }
    }
  }
  return { output, probabilities };
}
