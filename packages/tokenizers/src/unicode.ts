/**
 * Character classes matching the Rust definitions used by `tokenizers`.
 * JS `\s`, `\w`, `\d` are not the same as Rust's (e.g. JS `\s` includes U+FEFF and
 * misses U+0085), so every class is spelled out with Unicode properties.
 */

import {
  BERT_NONSPACING_MARK,
  BERT_PUNCTUATION,
  BERT_REMOVED,
  COMBINING_MARK,
  ONIG_LETTER,
  ONIG_NUMBER,
  ONIG_SPACE,
} from "./unicode-tables.js";

const NUMERIC = /^\p{N}$/u;

/** Decodes a generated range table into [start, end, start, end, ...]. */
function decodeTable(table: string): Int32Array {
  const parts = table.split(",");
  const out = new Int32Array(parts.length * 2);
  let prev = 0;
  parts.forEach((part, i) => {
    const [delta, length] = part.split(".");
    const start = prev + Number.parseInt(delta, 36);
    const end = start + Number.parseInt(length, 36);
    out[2 * i] = start;
    out[2 * i + 1] = end;
    prev = end;
  });
  return out;
}

function inRanges(ranges: Int32Array, cp: number): boolean {
  let lo = 0;
  let hi = ranges.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < ranges[2 * mid]) hi = mid - 1;
    else if (cp > ranges[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

/** A lazily decoded code point set (Rust's exact classes, see scripts/gen-unicode-tables.mjs). */
class CodePointSet {
  private ranges: Int32Array | null = null;
  constructor(private readonly table: string) {}
  get all(): Int32Array {
    this.ranges ??= decodeTable(this.table);
    return this.ranges;
  }
  has(cp: number): boolean {
    return inRanges(this.all, cp);
  }
  /** The set as the inside of a JS `u`-mode character class. */
  classBody(): string {
    const r = this.all;
    let out = "";
    const hex = (cp: number) => `\\u{${cp.toString(16)}}`;
    for (let i = 0; i < r.length; i += 2) out += r[i] === r[i + 1] ? hex(r[i]) : `${hex(r[i])}-${hex(r[i + 1])}`;
    return out;
  }
}

const BERT_PUNCTUATION_SET = new CodePointSet(BERT_PUNCTUATION);
const BERT_REMOVED_SET = new CodePointSet(BERT_REMOVED);
const BERT_NONSPACING_SET = new CodePointSet(BERT_NONSPACING_MARK);
const COMBINING_MARK_SET = new CodePointSet(COMBINING_MARK);
export const ONIG_LETTER_SET = new CodePointSet(ONIG_LETTER);
export const ONIG_NUMBER_SET = new CodePointSet(ONIG_NUMBER);
export const ONIG_SPACE_SET = new CodePointSet(ONIG_SPACE);

/**
 * Rust `char::is_whitespace` (White_Space property). The property has been stable since
 * Unicode 6.3, so it is spelled out: a regex test per char is slow on hot paths.
 */
export function isWhitespace(cp: number): boolean {
  if (cp < 0x80) return cp === 0x20 || (cp >= 0x09 && cp <= 0x0d);
  if (cp < 0x1680) return cp === 0x85 || cp === 0xa0;
  return (
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x202f ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** `char::is_ascii_punctuation(c) || c.is_punctuation()` as used by Bert and Punctuation. */
export function isPunctuation(cp: number): boolean {
  if (cp < 0x80) {
    return (cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126);
  }
  return BERT_PUNCTUATION_SET.has(cp);
}

/** Chars BertNormalizer's clean_text removes: NUL, U+FFFD and its `is_control` chars. */
export function isBertRemoved(cp: number): boolean {
  if (cp < 0x80) return (cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d) || cp === 0x7f;
  return BERT_REMOVED_SET.has(cp);
}

/** `is_mark_nonspacing` of the unicode_categories crate (BertNormalizer strip_accents). */
export function isNonspacingMark(cp: number): boolean {
  if (cp < 0x300) return false;
  return BERT_NONSPACING_SET.has(cp);
}

/** `is_combining_mark` of unicode-normalization-alignments (StripAccents normalizer). */
export function isCombiningMark(cp: number): boolean {
  if (cp < 0x300) return false;
  return COMBINING_MARK_SET.has(cp);
}

/** Rust `char::is_numeric` (general category N*). */
export function isNumeric(cp: number): boolean {
  if (cp < 0x80) return cp >= 0x30 && cp <= 0x39;
  return NUMERIC.test(String.fromCodePoint(cp));
}

export function isChineseChar(cp: number): boolean {
  return (
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x20000 && cp <= 0x2a6df) ||
    (cp >= 0x2a700 && cp <= 0x2b73f) ||
    (cp >= 0x2b740 && cp <= 0x2b81f) ||
    (cp >= 0x2b920 && cp <= 0x2ceaf) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x2f800 && cp <= 0x2fa1f)
  );
}

/** Number of UTF-8 bytes of a code point. */
export function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** Replaces lone surrogates with U+FFFD (Rust strings cannot hold them). */
export function toWellFormed(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      if (c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          i++;
          continue;
        }
      }
      return replaceLoneSurrogates(text);
    }
  }
  return text;
}

function replaceLoneSurrogates(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += text[i] + text[i + 1];
        i++;
        continue;
      }
    }
    out += c >= 0xd800 && c <= 0xdfff ? "\ufffd" : text[i];
  }
  return out;
}

/** Whether the string contains code points outside the BMP. */
export function hasAstral(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) return true;
  }
  return false;
}

/**
 * Translates an Oniguruma / Rust-regex pattern into a JS `u`-mode pattern, mapping the
 * Unicode-aware shorthand classes (`\s`, `\S`, `\w`, `\W`, `\d`, `\D`) to JS property classes.
 */
export function translateRegex(source: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === "\\" && i + 1 < source.length) {
      const next = source[i + 1];
      i++;
      const mapped = SHORTHANDS[next];
      if (mapped) {
        if (inClass) {
          if (mapped.inClass === null) throw new Error(`regex shorthand \\${next} inside a class is not supported`);
          out += mapped.inClass;
        } else out += mapped.outside;
      } else if ((next === "p" || next === "P") && /^\{[LN]\}/.test(source.slice(i + 1, i + 4))) {
        // Oniguruma's letter/number classes, copied from Rust (Unicode versions differ).
        const set = source[i + 2] === "L" ? ONIG_LETTER_SET : ONIG_NUMBER_SET;
        i += 3;
        if (next === "p") out += inClass ? set.classBody() : `[${set.classBody()}]`;
        else if (!inClass) out += `[^${set.classBody()}]`;
        else throw new Error(`regex \\P{${source[i - 1]}} inside a class is not supported`);
      } else if (next === "A") out += "^";
      else if (next === "z") out += "$";
      else if (next === "h") out += inClass ? "0-9a-fA-F" : "[0-9a-fA-F]";
      else out += `\\${next}`;
      continue;
    }
    if (ch === "[" && !inClass) inClass = true;
    else if (ch === "]" && inClass) inClass = false;
    out += ch;
  }
  return out;
}

/**
 * Oniguruma's Unicode `\\w` as measured against the Rust binding: Alphabetic, Mark,
 * Decimal_Number, Connector_Punctuation, plus the Latin-1 digits/fractions ² ³ ¹ ¼ ½ ¾.
 */
const WORD = "\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\u00b2\\u00b3\\u00b9\\u00bc-\\u00be";
const SHORTHANDS: Record<string, { outside: string; inClass: string | null }> = {
  s: { outside: "\\p{White_Space}", inClass: "\\p{White_Space}" },
  S: { outside: "\\P{White_Space}", inClass: "\\P{White_Space}" },
  d: { outside: "\\p{Nd}", inClass: "\\p{Nd}" },
  D: { outside: "\\P{Nd}", inClass: "\\P{Nd}" },
  w: { outside: `[${WORD}]`, inClass: WORD },
  W: { outside: `[^${WORD}]`, inClass: null },
};

/** Escapes a literal string for use in a JS RegExp. */
export function escapeRegex(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
