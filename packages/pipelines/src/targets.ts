/**
 * Resolving candidate words to token ids as transformers' FillMaskPipeline.get_target_ids does:
 * the vocabulary entry when there is one, else the first token of the word's encoding (without
 * special tokens) with a warning, and a word that encodes to nothing is skipped with a warning.
 */
import type { Tokenizer } from "@edgeformers/tokenizers";

export type Warn = (message: string) => void;

export const consoleWarn: Warn = (message) => console.warn(message);

/** options.onWarning: a function receiving Python's logger warnings, default console.warn. */
export function warningSink(value: unknown): Warn {
  if (value === undefined) return consoleWarn;
  if (typeof value !== "function") throw new TypeError("options.onWarning must be a function");
  return value as Warn;
}

/** The id a target word stands for, or null when it encodes to no token. */
export function targetId(tokenizer: Tokenizer, target: string, warn: Warn): number | null {
  const id = tokenizer.tokenToId(target);
  if (id !== undefined) return id;
  const ids = tokenizer.encode(target, null, { addSpecialTokens: false, truncation: false, padding: false }).ids;
  if (ids.length === 0) {
    warn(
      `The specified target token \`${target}\` does not exist in the model vocabulary. We cannot replace it with anything meaningful, ignoring it`,
    );
    return null;
  }
  warn(
    `The specified target token \`${target}\` does not exist in the model vocabulary. Replacing with \`${tokenizer.idToToken(ids[0])}\`.`,
  );
  return ids[0];
}
