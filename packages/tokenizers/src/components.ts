import type { RawEncoding } from "./encoding.js";
import type { NormalizedString } from "./normalized-string.js";

/** Shared interfaces of the pipeline stages, one implementation module per component. */

export interface Normalizer {
  normalize(input: NormalizedString): void;
}

export interface PreTokenizer {
  /**
   * Splits one piece, pushing the non-empty results to `out` (it may also rewrite them,
   * like ByteLevel). Rust applies each step to all pieces; doing it piece by piece is the
   * same since no pre-tokenizer looks across pieces.
   */
  split(piece: NormalizedString, out: NormalizedString[]): void;
  /**
   * Optional fast path for pre-tokenizers that only cut the text (no rewriting): pushes the
   * [start, end) unit ranges of the non-empty pieces, sparing a NormalizedString per word.
   */
  splitRanges?(text: string, out: number[]): void;
  /**
   * Optional fast path for pre-tokenizers that rewrite words (ByteLevel): pushes word
   * ranges of the piece and, per word, the model input when it keeps the unit layout of the
   * source, or null (the caller then slices the word and calls `rewrite`). Returns false
   * when it does not apply to this piece (use `split`).
   */
  splitWords?(piece: NormalizedString, ranges: number[], texts: (string | null)[]): boolean;
  rewrite?(word: NormalizedString): void;
  /**
   * Optional, with `rewrite`: the rewritten form of word [start, end) of `text`, without a
   * NormalizedString. `sourceUnits[j]` is then the unit of the word (relative to `start`)
   * where the char behind unit j of the result starts; valid until the next call.
   */
  rewriteRange?(text: string, start: number, end: number): string;
  readonly sourceUnits?: Int32Array;
}

/** Tokens produced by a model for one piece; offsets are UTF-16 unit ranges in the piece. */
export interface ModelOutput {
  ids: number[];
  tokens: string[];
  starts: number[];
  ends: number[];
  /**
   * Set by BPE when Rust's cumulative byte offsets no longer follow the text (dropped
   * unknown chars, byte fallback of a prefixed/suffixed piece): starts/ends are then Rust's
   * UTF-8 byte offsets in the piece, converted the way Rust converts them.
   */
  byteOffsets?: boolean;
}

export interface Model {
  tokenize(piece: string, out: ModelOutput): void;
  /** Optional: `tokenize(text.slice(start, end), out)` without slicing when it can. */
  tokenizeRange?(text: string, start: number, end: number, out: ModelOutput): void;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  vocabSize(): number;
}

export interface PostProcessor {
  addedTokens(isPair: boolean): number;
  /** Processes one or two encodings (already sequence-tagged) into the list to merge. */
  processEncodings(encodings: RawEncoding[], addSpecialTokens: boolean): RawEncoding[];
  /**
   * Optional fast path, only used for a top-level processor: `processEncodings` then the
   * merge in one step, or null when it does not apply.
   */
  processMerged?(encodings: RawEncoding[], addSpecialTokens: boolean): RawEncoding | null;
}

export interface Decoder {
  decodeChain(tokens: string[]): string[];
}

/** Thrown at load time for invalid or unsupported tokenizer.json content. */
export class TokenizerConfigError extends Error {
  override name = "TokenizerConfigError";
}

export function unsupported(path: string, type: unknown): never {
  throw new TokenizerConfigError(`${path}.type ${JSON.stringify(type)} is not supported`);
}

export function configError(path: string, message: string): never {
  throw new TokenizerConfigError(`${path}: ${message}`);
}

export type Json = Record<string, unknown>;

export function asObject(value: unknown, path: string): Json {
  if (value === null || typeof value !== "object" || Array.isArray(value)) configError(path, "expected an object");
  return value as Json;
}

export function asArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) configError(path, "expected an array");
  return value;
}

export function optBool(obj: Json, key: string, fallback: boolean, path: string): boolean {
  const v = obj[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "boolean") configError(`${path}.${key}`, "expected a boolean");
  return v;
}

export function optString(obj: Json, key: string, fallback: string, path: string): string {
  const v = obj[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "string") configError(`${path}.${key}`, "expected a string");
  return v;
}

export function optNumber(obj: Json, key: string, fallback: number, path: string): number {
  const v = obj[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number") configError(`${path}.${key}`, "expected a number");
  return v;
}
