// Deterministic scenarios run twice: once in Node (vitest config, via `provide`) and once inside
// workerd. Both runs use the same plain-SIMD module, so results must be bit-identical.
import type { Kernels } from "../../src/kernels.ts";
import { randomF32, rng } from "../helpers-core.ts";

export type ScenarioResults = Record<string, number[]>;

export function runScenarios(kernels: Kernels): ScenarioResults {
  const random = rng(2026);
  const out: ScenarioResults = {};
  const [m, k, n] = [13, 70, 37];
  const a = randomF32(random, m * k);
  const b = randomF32(random, k * n);
  const bias = randomF32(random, n);
  const residual = randomF32(random, m * n);
  out.gemm = Array.from(kernels.gemm(a, kernels.packMatrix(b, { k, n }), { m, bias, activation: "gelu", residual }));
  const qw = kernels.quantizeWeights(b, { k, n });
  out.int8Gemm = Array.from(kernels.int8Gemm(a, kernels.packInt8Matrix(qw, { k, n }), { m, bias }));
  const qa = kernels.quantizeRows(a, { rows: m, cols: k });
  out.int8MatMul = Array.from(kernels.int8MatMul(qa.values, kernels.packInt8Matrix(qw, { k, n }), { m }));
  out.int8DotGemm = Array.from(kernels.int8DotGemm(a, kernels.packInt8DotMatrix(qw, { k, n }), { m, bias }));
  out.int8DotGemm8 = Array.from(
    kernels.int8DotGemm(a, kernels.packInt8DotMatrix(qw, { k, n }), { m, bias, activationBits: 8 }),
  );
  const [batch, seq, heads, headDim] = [2, 21, 2, 32];
  const hd = heads * headDim;
  const q = randomF32(random, batch * seq * hd, 2);
  const kk = randomF32(random, batch * seq * hd, 2);
  const v = randomF32(random, batch * seq * hd);
  const keyPaddingMask = new Uint8Array(batch * seq).fill(1).fill(0, seq + 15);
  out.attention = Array.from(
    kernels.attention(q, kk, v, { batch, qLen: seq, heads, headDim, keyPaddingMask, causal: true }).output,
  );
  const gamma = randomF32(random, hd);
  const beta = randomF32(random, hd);
  out.layerNorm = Array.from(kernels.layerNorm(q, gamma, beta, { rows: batch * seq, residual: v }));
  out.geluTanh = Array.from(kernels.gelu(v, "tanh"));
  out.softmax = Array.from(kernels.softmax(q, { rows: batch * seq, cols: hd }));
  out.meanPool = Array.from(kernels.pool(v, "mean", { batch, seq, dim: hd, mask: keyPaddingMask }));
  const tables = kernels.uploadEmbeddings({
    dim: hd,
    word: randomF32(random, 50 * hd),
    position: randomF32(random, seq * hd),
  });
  const ids = new Int32Array(batch * seq).map((_, i) => (i * 7) % 50);
  out.embed = Array.from(kernels.embed(tables, ids, { batch, seq }));
  const normalized = kernels.l2Normalize(out.meanPool.length ? Float32Array.from(out.meanPool) : new Float32Array(0), {
    rows: batch,
    dim: hd,
  });
  out.l2Normalize = Array.from(normalized);
  const scores = kernels.cosineSimilarity(q.subarray(0, 3 * hd), kk, { dim: hd });
  out.cosine = Array.from(scores);
  out.topK = Array.from(kernels.topK(scores, 5, { rows: 3 }).indices);
  return out;
}
