/** Tokenizing inputs for the heads, with the model's length limit enforced or applied. */
import type { Encoding } from "@edgeformers/tokenizers";
import { maxInputLength } from "./config.js";
import type { PipelineModel } from "./model.js";

/**
 * Encodes a text (or pair). With `truncate`, cuts to the model's maximum (longest_first, as the
 * Python tokenizer does with truncation=True); without it, an input the model cannot take is a
 * RangeError naming the field (Python would fail inside the model instead).
 */
export function encodeForModel(
  model: PipelineModel,
  text: string,
  pair: string | null,
  truncate: boolean,
  field: string,
  strategy: "longest_first" | "only_first" | "only_second" = "longest_first",
): Encoding {
  const max = maxInputLength(model);
  if (truncate && max !== null) {
    return model.tokenizer.encode(text, pair, { truncation: { maxLength: max, strategy }, padding: false });
  }
  const encoding = model.tokenizer.encode(text, pair, { truncation: false, padding: false });
  if (max !== null && encoding.length > max) {
    throw new RangeError(
      `${field} is ${encoding.length} tokens long, more than the model's maximum of ${max}; pass truncation: true to cut it`,
    );
  }
  return encoding;
}
