/**
 * Facts about a tokenizer's vocabulary read straight from tokenizer.json, independent of the
 * tokenizer runtime: every token string (model vocab plus added tokens) and the unk token.
 */
import { ModelFolderError } from "./errors.js";
import type { JsonObject } from "./folder.js";

/** All token strings of the vocabulary, with added tokens, as `get_vocab()` would list them. */
export function vocabularyTokens(tokenizerJson: JsonObject, file = "tokenizer.json"): Map<string, number> {
  const model = tokenizerJson.model as JsonObject | undefined;
  if (model === null || typeof model !== "object") throw new ModelFolderError(`"model" is missing`, file);
  const tokens = new Map<string, number>();
  const vocab = model.vocab;
  if (Array.isArray(vocab)) {
    // Unigram: [[token, score], ...], ids are positions.
    vocab.forEach((entry, id) => {
      if (!Array.isArray(entry) || typeof entry[0] !== "string")
        throw new ModelFolderError(`model.vocab[${id}] must be [token, score]`, file);
      tokens.set(entry[0], id);
    });
  } else if (vocab !== null && typeof vocab === "object") {
    for (const [token, id] of Object.entries(vocab as Record<string, unknown>)) {
      if (typeof id !== "number") throw new ModelFolderError(`model.vocab["${token}"] must be a number`, file);
      tokens.set(token, id);
    }
  } else {
    throw new ModelFolderError(`"model.vocab" must be an object or an array`, file);
  }
  const added = tokenizerJson.added_tokens;
  if (Array.isArray(added)) {
    for (const t of added as { id?: unknown; content?: unknown }[]) {
      if (typeof t?.content === "string" && typeof t.id === "number") tokens.set(t.content, t.id);
    }
  }
  return tokens;
}

/**
 * The model's unk token as a string, when the model declares one by name (WordPiece, BPE,
 * WordLevel). Unigram declares only `unk_id`; model2vec (Python and Rust) reads `unk_token`
 * alone, so a Unigram unk is deliberately not reported here.
 */
export function unkToken(tokenizerJson: JsonObject): string | null {
  const unk = (tokenizerJson.model as JsonObject | undefined)?.unk_token;
  return typeof unk === "string" ? unk : null;
}

/** Number of Unicode code points (not UTF-16 units), as Python's len(). */
export function codePointLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

/** The first `n` code points of `s` (Python's s[:n]), never splitting a surrogate pair. */
export function sliceCodePoints(s: string, n: number): string {
  if (n >= s.length) return s; // a string has at least as many UTF-16 units as code points
  let units = 0;
  for (let count = 0; count < n && units < s.length; count++) {
    const c = s.charCodeAt(units);
    units +=
      c >= 0xd800 && c <= 0xdbff && units + 1 < s.length && (s.charCodeAt(units + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
  }
  return s.slice(0, units);
}

/** Python `int(np.median(values))`: mean of the two middle values for an even count, truncated. */
export function integerMedian(values: number[]): number {
  if (values.length === 0) return 1;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return Math.trunc(sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
}
