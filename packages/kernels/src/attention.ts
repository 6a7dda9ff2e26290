// Fused multi-head scaled-dot-product attention (online softmax, no Lq x Lk score matrix).
import type { KernelContext } from "./context.ts";
import { checkArray, checkDim, checkMask, type Mask } from "./errors.ts";
import { checkF32, checkNoOverlap, type F32Input, finishOutput, inputPtr, outputPtr } from "./wasm-array.ts";

export interface AttentionOptions {
  readonly batch: number;
  /** Query length Lq. */
  readonly qLen: number;
  /** Key/value length Lk (may differ from Lq: cross-attention). Defaults to qLen. */
  readonly kLen?: number;
  readonly heads: number;
  readonly headDim: number;
  /** Score scale, default 1/sqrt(headDim). */
  readonly scale?: number;
  /** [batch, kLen], non-zero = attend, 0 = padding (Hugging Face attention_mask convention). */
  readonly keyPaddingMask?: Mask;
  /** Query i attends to keys j <= i (top-left aligned, like PyTorch is_causal). */
  readonly causal?: boolean;
  /** Additive score bias [heads, qLen, kLen], shared across the batch. */
  readonly bias?: Float32Array;
  /** Debug: also return the softmax probabilities [batch, heads, qLen, kLen] (O(Lq·Lk) memory). */
  readonly returnProbabilities?: boolean;
  /**
   * [batch, qLen, heads·headDim] to write the output into instead of a new array. A Float32Array
   * out may be q, k or v (inputs are copied first); a WasmArray out must not overlap them.
   */
  readonly out?: F32Input;
}

export interface AttentionResult<Output extends F32Input = Float32Array> {
  /** [batch, qLen, heads·headDim]. Query rows with every key masked are all zeros. */
  readonly output: Output;
  readonly probabilities?: Float32Array;
}

/** q: [batch, qLen, heads·headDim]; k, v: [batch, kLen, heads·headDim]. */
export function attention(
  ctx: KernelContext,
  q: F32Input,
  k: F32Input,
  v: F32Input,
  options: AttentionOptions,
): AttentionResult<F32Input> {
  const { batch, qLen, heads, headDim, causal = false, bias, keyPaddingMask, returnProbabilities = false } = options;
  const kLen = options.kLen ?? qLen;
  checkDim("batch", batch);
  checkDim("qLen", qLen);
  checkDim("kLen", kLen);
  checkDim("heads", heads);
  checkDim("headDim", headDim);
  const scale = options.scale ?? 1 / Math.sqrt(headDim);
  if (!Number.isFinite(scale)) throw new RangeError(`scale must be finite, got ${scale}`);
  const hd = heads * headDim;
  checkF32(ctx, "q", q, batch * qLen * hd, `[batch=${batch}, qLen=${qLen}, heads*headDim=${hd}]`);
  checkF32(ctx, "k", k, batch * kLen * hd, `[batch=${batch}, kLen=${kLen}, heads*headDim=${hd}]`);
  checkF32(ctx, "v", v, batch * kLen * hd, `[batch=${batch}, kLen=${kLen}, heads*headDim=${hd}]`);
  if (bias !== undefined)
    checkArray("bias", bias, Float32Array, heads * qLen * kLen, `[heads=${heads}, qLen=${qLen}, kLen=${kLen}]`);
  if (options.out !== undefined) {
    checkF32(ctx, "out", options.out, batch * qLen * hd, `[batch=${batch}, qLen=${qLen}, heads*headDim=${hd}]`);
    // Blocks of query rows are written while other heads of the same rows are still to be read.
    checkNoOverlap("out", options.out, "q", q);
    checkNoOverlap("out", options.out, "k", k);
    checkNoOverlap("out", options.out, "v", v);
  }
  if (keyPaddingMask !== undefined)
    checkMask("keyPaddingMask", keyPaddingMask, batch * kLen, `[batch=${batch}, kLen=${kLen}]`);
  const { arena, wasm } = ctx;
  return arena.scoped(() => {
    const qPtr = inputPtr(ctx, q, "q");
    const kPtr = inputPtr(ctx, k, "k");
    const vPtr = inputPtr(ctx, v, "v");
    let maskPtr = 0;
    if (keyPaddingMask) {
      maskPtr = arena.alloc(batch * kLen, "keyPaddingMask");
      const bytes = arena.u8(maskPtr, batch * kLen);
      for (let i = 0; i < bytes.length; i++) bytes[i] = keyPaddingMask[i] !== 0 ? 1 : 0;
    }
    const biasPtr = bias ? arena.copyIn(bias, "bias") : 0;
    const outLen = batch * qLen * hd;
    const out = outputPtr(ctx, options.out, outLen);
    const probLen = batch * heads * qLen * kLen;
    const probs = returnProbabilities ? arena.alloc(probLen * 4, "probabilities") : 0;
    const scratch = arena.alloc(wasm.attentionScratchBytes(kLen, headDim), "attention scratch");
    wasm.attention(
      qPtr,
      kPtr,
      vPtr,
      out,
      batch,
      qLen,
      kLen,
      heads,
      headDim,
      scale,
      maskPtr,
      causal ? 1 : 0,
      biasPtr,
      probs,
      scratch,
    );
    const output = finishOutput(ctx, out, outLen, options.out);
    return returnProbabilities ? { output, probabilities: arena.f32(probs, probLen).slice() } : { output };
  });
}
