/** The raw exports of kernels.*.wasm (see assembly/index.ts). Pointers are byte offsets. */
/**
 * An int8 GEMM entry: quantized activations (layout per kernel) × packed weights → out, raw i32
 * sums when rawI32 is 1, else dequantized f32 (f32(acc) · rowScale · colScale + bias).
 */
export type QuantizedGemmKernel = (
  quantized: number,
  rowScales: number,
  packed: number,
  colScales: number,
  bias: number,
  out: number,
  m: number,
  n: number,
  k: number,
  rawI32: number,
) => void;

export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  heapBase(): number;
  packedBBytes(k: number, n: number): number;
  packB(src: number, k: number, n: number, transposed: number, dst: number): void;
  gemmF32(
    a: number,
    packed: number,
    c: number,
    m: number,
    n: number,
    k: number,
    bias: number,
    residual: number,
    activation: number,
  ): void;
  packedInt8Bytes(k: number, n: number): number;
  quantizedRowsBytes(m: number, k: number): number;
  packInt8(src: number, k: number, n: number, transposed: number, dst: number): void;
  packQuantizedRows(q8: number, m: number, k: number, q16Out: number): void;
  quantizeRows(x: number, m: number, k: number, qOut: number, q16Out: number, scalesOut: number): void;
  quantizeWeights(src: number, k: number, n: number, transposed: number, qOut: number, scalesOut: number): void;
  int8Gemm: QuantizedGemmKernel;
  packedInt8DotBytes(k: number, n: number): number;
  quantizedRows7Bytes(m: number, k: number): number;
  packInt8Dot(src: number, k: number, n: number, transposed: number, dst: number): void;
  quantizeRows7(x: number, m: number, k: number, qOut: number, q7Out: number, scalesOut: number): void;
  packQuantizedRows7(q8: number, m: number, k: number, q7Out: number): number;
  int8GemmDotExact: QuantizedGemmKernel;
  int8GemmDot: QuantizedGemmKernel;
  quantizedRowsSplitBytes(m: number, k: number): number;
  packQuantizedRowsSplit(q8: number, m: number, k: number, out: number): number;
  quantizeRowsSplit(x: number, m: number, k: number, out: number, scalesOut: number): void;
  int8GemmDotSplit: QuantizedGemmKernel;
  int8GemmDotSplitExact: QuantizedGemmKernel;
  attentionScratchBytes(lk: number, d: number): number;
  attention(
    q: number,
    k: number,
    v: number,
    out: number,
    batch: number,
    lq: number,
    lk: number,
    heads: number,
    d: number,
    scale: number,
    keyMask: number,
    causal: number,
    bias: number,
    probs: number,
    scratch: number,
  ): void;
  layerNorm(
    x: number,
    residual: number,
    gamma: number,
    beta: number,
    out: number,
    rows: number,
    dim: number,
    eps: number,
  ): void;
  gelu(x: number, out: number, length: number, approximation: number): void;
  biasAdd(x: number, bias: number, out: number, rows: number, cols: number): void;
  softmax(x: number, out: number, rows: number, cols: number): void;
  embed(
    ids: number,
    typeIds: number,
    word: number,
    position: number,
    tokenType: number,
    out: number,
    batch: number,
    seq: number,
    dim: number,
    positionOffset: number,
  ): void;
  pool(hidden: number, mask: number, out: number, batch: number, seq: number, dim: number, mode: number): void;
  l2Normalize(x: number, out: number, rows: number, dim: number, eps: number): void;
  cosineSimilarity(a: number, b: number, out: number, qRows: number, nRows: number, dim: number, eps: number): void;
  topK(scores: number, rows: number, cols: number, k: number, outIdx: number, outVal: number): void;
  peakChains(iterations: number): number;
  peakFusedChains(iterations: number): number;
}
