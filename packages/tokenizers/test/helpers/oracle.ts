import { createRequire } from "node:module";
import { expect } from "vitest";
import type { EncodeOptions, Encoding, Tokenizer } from "../../src/index.js";

const require = createRequire(import.meta.url);

/** The Rust `tokenizers` 0.22.2 binding (@anush008/tokenizers), our reference. */
export interface OracleEncoding {
  getIds(): number[];
  getTokens(): string[];
  getTypeIds(): number[];
  getOffsets(): number[][];
  getWordIds(): (number | null | undefined)[];
  getSequenceIds(): (number | null | undefined)[];
  getSpecialTokensMask(): number[];
  getAttentionMask(): number[];
  getOverflowing(): OracleEncoding[];
}

export interface OracleTokenizer {
  encode(text: string, pair: string | null, options?: { addSpecialTokens?: boolean }): Promise<OracleEncoding>;
  encodeBatch(
    inputs: (string | [string, string])[],
    options?: { addSpecialTokens?: boolean },
  ): Promise<OracleEncoding[]>;
  decode(ids: number[], skipSpecialTokens: boolean): Promise<string>;
  setTruncation(maxLength: number, options?: { strategy?: string; direction?: string; stride?: number }): void;
  disableTruncation(): void;
  setPadding(options?: {
    maxLength?: number;
    direction?: string;
    padToMultipleOf?: number;
    padId?: number;
    padToken?: string;
  }): void;
  disablePadding(): void;
  getVocabSize(withAddedTokens?: boolean): number;
  tokenToId(token: string): number | null;
  idToToken(id: number): string | null;
}

const binding = require("@anush008/tokenizers") as { Tokenizer: { fromString(s: string): OracleTokenizer } };

export function oracleFromJson(json: string | object): OracleTokenizer {
  return binding.Tokenizer.fromString(typeof json === "string" ? json : JSON.stringify(json));
}

export interface Plain {
  ids: number[];
  tokens: string[];
  typeIds: number[];
  offsets: number[][];
  wordIds: (number | null)[];
  sequenceIds: (number | null)[];
  specialTokensMask: number[];
  attentionMask: number[];
  overflowing: Plain[];
}

export function fromOracle(e: OracleEncoding): Plain {
  return {
    ids: e.getIds(),
    tokens: e.getTokens(),
    typeIds: e.getTypeIds(),
    offsets: e.getOffsets(),
    wordIds: e.getWordIds().map((x) => x ?? null),
    sequenceIds: e.getSequenceIds().map((x) => x ?? null),
    specialTokensMask: e.getSpecialTokensMask(),
    attentionMask: e.getAttentionMask(),
    overflowing: e.getOverflowing().map(fromOracle),
  };
}

export function fromOurs(e: Encoding): Plain {
  return {
    ids: e.ids,
    tokens: e.tokens,
    typeIds: e.typeIds,
    offsets: e.offsets,
    wordIds: e.wordIds,
    sequenceIds: e.sequenceIds,
    specialTokensMask: e.specialTokensMask,
    attentionMask: e.attentionMask,
    overflowing: e.overflowing.map(fromOurs),
  };
}

/** Options as understood by the oracle: truncation/padding must be set on the tokenizer. */
export function applyToOracle(oracle: OracleTokenizer, options: EncodeOptions): void {
  if (options.truncation) {
    const t = options.truncation;
    const strategy = { longest_first: "LongestFirst", only_first: "OnlyFirst", only_second: "OnlySecond" }[
      t.strategy ?? "longest_first"
    ];
    oracle.setTruncation(t.maxLength!, { strategy, direction: t.direction, stride: t.stride ?? 0 });
  } else if (options.truncation === false) oracle.disableTruncation();
  if (options.padding) {
    const p = options.padding;
    oracle.setPadding({
      maxLength:
        p.strategy === "max_length" || (p.strategy === undefined && p.maxLength !== undefined)
          ? p.maxLength
          : undefined,
      direction: p.direction,
      padToMultipleOf: p.padToMultipleOf,
      padId: p.padId,
      padToken: p.padToken,
    });
  } else if (options.padding === false) oracle.disablePadding();
}

export interface Mismatch {
  input: unknown;
  field: string;
  expected: unknown;
  actual: unknown;
}

/** Field-by-field comparison; returns the first differing field (or null). */
export function firstDifference(expected: Plain, actual: Plain, path = ""): Omit<Mismatch, "input"> | null {
  for (const key of Object.keys(expected) as (keyof Plain)[]) {
    if (key === "overflowing") continue;
    if (JSON.stringify(expected[key]) !== JSON.stringify(actual[key])) {
      return { field: path + key, expected: expected[key], actual: actual[key] };
    }
  }
  if (expected.overflowing.length !== actual.overflowing.length) {
    return {
      field: `${path}overflowing.length`,
      expected: expected.overflowing.length,
      actual: actual.overflowing.length,
    };
  }
  for (let i = 0; i < expected.overflowing.length; i++) {
    const d = firstDifference(expected.overflowing[i], actual.overflowing[i], `${path}overflowing[${i}].`);
    if (d) return d;
  }
  return null;
}

/**
 * Encodes every input with both implementations (code point offsets) and decodes the ids
 * with both; collects mismatches so a failure lists the inputs, not just a count.
 */
export async function compareAll(
  ours: Tokenizer,
  oracle: OracleTokenizer,
  inputs: (string | [string, string])[],
  options: EncodeOptions = {},
): Promise<{ compared: number; mismatches: Mismatch[]; rustPanics: number }> {
  applyToOracle(oracle, options);
  const mismatches: Mismatch[] = [];
  const add = options.addSpecialTokens ?? true;
  let rustPanics = 0;
  for (const input of inputs) {
    const [a, b] = typeof input === "string" ? [input, null] : input;
    try {
      ours.encode(a, b, { ...options, offsets: "codepoint" });
    } catch (e) {
      // A stride >= the window is an assert! in Rust that aborts the whole process, so the
      // oracle cannot be asked; we raise a RangeError instead (documented in the README).
      if (e instanceof RangeError && /stride/.test(e.message)) {
        rustPanics++;
        continue;
      }
    }
    let expected: Plain;
    try {
      expected = fromOracle(await oracle.encode(a, b, { addSpecialTokens: add }));
    } catch (e) {
      let threw = false;
      try {
        ours.encode(a, b, { ...options, offsets: "codepoint" });
      } catch {
        threw = true;
      }
      if (!threw) mismatches.push({ input, field: "error", expected: String(e), actual: "no error" });
      continue;
    }
    const actual = fromOurs(ours.encode(a, b, { ...options, offsets: "codepoint" }));
    const diff = firstDifference(expected, actual);
    if (diff) {
      if (process.env.TOK_DEBUG && Array.isArray(diff.expected) && Array.isArray(diff.actual)) {
        const ea = diff.expected as unknown[];
        const aa = diff.actual as unknown[];
        let k = 0;
        while (k < ea.length && JSON.stringify(ea[k]) === JSON.stringify(aa[k])) k++;
        console.log(
          "first difference at",
          k,
          JSON.stringify(ea.slice(Math.max(0, k - 3), k + 5)),
          JSON.stringify(aa.slice(Math.max(0, k - 3), k + 5)),
          JSON.stringify(expected.tokens.slice(Math.max(0, k - 3), k + 5)),
          JSON.stringify(actual.tokens.slice(Math.max(0, k - 3), k + 5)),
        );
      }
      mismatches.push({ input, ...diff });
      continue;
    }
    for (const skip of [false, true]) {
      const want = await oracle.decode(expected.ids, skip);
      const got = ours.decode(expected.ids, { skipSpecialTokens: skip, cleanUpTokenizationSpaces: false });
      if (want !== got) {
        mismatches.push({ input, field: `decode(skipSpecialTokens=${skip})`, expected: want, actual: got });
        break;
      }
    }
  }
  return { compared: inputs.length, mismatches, rustPanics };
}

export function expectNoMismatch(result: { compared: number; mismatches: Mismatch[] }): void {
  const shown = result.mismatches.slice(0, 5).map((m) => JSON.stringify(m).slice(0, 800));
  expect(shown, `${result.mismatches.length}/${result.compared} mismatches`).toEqual([]);
}
