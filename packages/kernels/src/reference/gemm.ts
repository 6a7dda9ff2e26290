// Reference f32 GEMM (float64 accumulation): C = act(A·B + bias) + residual.
import type { Activation } from "../gemm.ts";
import { geluErf, geluTanh } from "./activations.ts";

export interface ReferenceGemmArgs {
  a: Float32Array;
  b: Float32Array;
  m: number;
  k: number;
  n: number;
  /** b is [N, K] instead of [K, N]. */
  transposed?: boolean;
  bias?: Float32Array;
  activation?: Activation;
  residual?: Float32Array;
}

export function referenceGemm({
  a,
  b,
  m,
  k,
  n,
  transposed = false,
  bias,
  activation = "none",
  residual,
}: ReferenceGemmArgs): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += a[i * k + t] * (transposed ? b[j * k + t] : b[t * n + j]);
      if (bias) s += bias[j];
      if (activation === "gelu") s = geluErf(s);
      else if (activation === "gelu_tanh") s = geluTanh(s);
      if (residual) s += residual[i * n + j];
      c[i * n + j] = s;
    }
  }
  return c;
}
