/**
 * Runs encoded inputs through the model in batches. Python pipelines run one input at a time
 * (batch_size=1); batching with right padding and an attention mask gives the same numbers for a
 * real encoder, and each item's outputs are handed back unpadded in meaning (callers read only the
 * first `encoding.length` positions).
 */
import type { Encoding } from "@edgeformers/tokenizers";
import type { ForwardInputs, ModelOutputs, PipelineModel, Tensor } from "./model.js";
import { specialToken } from "./special-tokens.js";

export const DEFAULT_BATCH_SIZE = 8;

/** Forward inputs of a padded batch (right padding with the tokenizer's pad id). */
export function padBatch(encodings: readonly Encoding[], padId: number, withTokenTypes = true): ForwardInputs {
  const width = Math.max(...encodings.map((e) => e.length));
  const inputIds: number[][] = [];
  const attentionMask: number[][] = [];
  const tokenTypeIds: number[][] = [];
  for (const e of encodings) {
    const pad = width - e.length;
    inputIds.push([...e.ids, ...new Array<number>(pad).fill(padId)]);
    attentionMask.push([...e.attentionMask, ...new Array<number>(pad).fill(0)]);
    tokenTypeIds.push([...e.typeIds, ...new Array<number>(pad).fill(0)]);
  }
  return withTokenTypes ? { inputIds, attentionMask, tokenTypeIds } : { inputIds, attentionMask };
}

/**
 * Whether the model takes token type ids. Python passes them only when the tokenizer lists
 * token_type_ids among its model inputs (BERT yes; DistilBERT, RoBERTa no); the config tells the
 * same thing: a type_vocab_size above 1. A DistilBERT would reject the 1s of a pair's second text.
 */
export function takesTokenTypes(model: PipelineModel): boolean {
  const size = model.config.type_vocab_size;
  return typeof size === "number" && size > 1;
}

/** The rows of a batched tensor, each with a leading dim of 1. */
function splitRows(t: Tensor, batch: number): Tensor[] {
  if (t.dims[0] !== batch) throw new RangeError(`model output has batch dim ${t.dims[0]}, expected ${batch}`);
  const size = t.data.length / batch;
  const dims = [1, ...t.dims.slice(1)];
  return Array.from({ length: batch }, (_, b) => ({ data: t.data.subarray(b * size, (b + 1) * size), dims }));
}

/** Runs every encoding through `model.forward`, `batchSize` at a time; one output set per encoding. */
export async function forwardAll(
  model: PipelineModel,
  encodings: readonly Encoding[],
  batchSize = DEFAULT_BATCH_SIZE,
): Promise<ModelOutputs[]> {
  const padId = specialToken(model.tokenizer, "pad_token")?.id ?? 0;
  const results: ModelOutputs[] = [];
  for (let start = 0; start < encodings.length; start += batchSize) {
    const chunk = encodings.slice(start, start + batchSize);
    const outputs = await model.forward(padBatch(chunk, padId, takesTokenTypes(model)));
    const perItem: Record<string, Tensor>[] = chunk.map(() => ({}));
    for (const [name, tensor] of Object.entries(outputs)) {
      if (!tensor) continue;
      splitRows(tensor, chunk.length).forEach((t, i) => {
        perItem[i][name] = t;
      });
    }
    results.push(...perItem);
  }
  return results;
}
