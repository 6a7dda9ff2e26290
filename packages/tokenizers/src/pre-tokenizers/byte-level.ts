import { BYTE_TO_CHAR } from "../byte-level-alphabet.js";
import type { PreTokenizer } from "../components.js";
import type { NormalizedString } from "../normalized-string.js";
import { byteLevelAscii, byteLevelTransform } from "../normalizers/byte-level.js";
import { ONIG_LETTER_SET, ONIG_NUMBER_SET, ONIG_SPACE_SET } from "../unicode.js";

const OTHER = 0;
const LETTER = 1;
const NUMBER = 2;
const SPACE = 3;

/** Class of each BMP char for the GPT-2 split (Oniguruma's sets, copied from Rust). */
let bmpClass: Uint8Array | null = null;

function classOf(cp: number): number {
  if (cp < 0x10000) {
    if (bmpClass === null) {
      bmpClass = new Uint8Array(0x10000);
      // Native fills per range: this runs during the first encode (part of cold load).
      const fill = (ranges: Int32Array, value: number) => {
        for (let i = 0; i < ranges.length && ranges[i] < 0x10000; i += 2) {
          bmpClass!.fill(value, ranges[i], Math.min(ranges[i + 1], 0xffff) + 1);
        }
      };
      fill(ONIG_LETTER_SET.all, LETTER);
      fill(ONIG_NUMBER_SET.all, NUMBER);
      fill(ONIG_SPACE_SET.all, SPACE);
    }
    return bmpClass[cp];
  }
  if (ONIG_LETTER_SET.has(cp)) return LETTER;
  if (ONIG_NUMBER_SET.has(cp)) return NUMBER;
  return ONIG_SPACE_SET.has(cp) ? SPACE : OTHER;
}

/**
 * GPT-2's split regex `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
 * as a hand-written scanner (the regex with Oniguruma's class tables is slow in V8).
 * Pushes [start, end) of each match; the matches cover the whole string.
 */
export function gpt2Split(s: string, out: number[]): void {
  const n = s.length;
  let i = 0;
  const cpAt = (k: number) => s.codePointAt(k)!;
  const width = (cp: number) => (cp >= 0x10000 ? 2 : 1);
  /** End of the run of chars of class `cls` starting at k. */
  const runOf = (k: number, cls: number): number => {
    while (k < n) {
      const cp = cpAt(k);
      if (classOf(cp) !== cls) break;
      k += width(cp);
    }
    return k;
  };
  /** End of the run of chars that are none of space, letter, number. */
  const otherRun = (k: number): number => {
    while (k < n) {
      const cp = cpAt(k);
      if (classOf(cp) !== OTHER) break;
      k += width(cp);
    }
    return k;
  };
  while (i < n) {
    const c = s.charCodeAt(i);
    // 's 't 're 've 'm 'll 'd
    if (c === 0x27 && i + 1 < n) {
      const d = s.charCodeAt(i + 1);
      if (d === 0x73 || d === 0x74 || d === 0x6d || d === 0x64) {
        out.push(i, i + 2);
        i += 2;
        continue;
      }
      const e = i + 2 < n ? s.charCodeAt(i + 2) : -1;
      if ((d === 0x72 && e === 0x65) || (d === 0x76 && e === 0x65) || (d === 0x6c && e === 0x6c)) {
        out.push(i, i + 3);
        i += 3;
        continue;
      }
    }
    // An optional ' ' before a letter, number or "other" run.
    let start = i;
    let k = i;
    if (c === 0x20 && i + 1 < n) {
      const nextClass = classOf(cpAt(i + 1));
      if (nextClass !== SPACE) k = i + 1;
    }
    const cp = cpAt(k);
    const cls = classOf(cp);
    if (cls === LETTER || cls === NUMBER) {
      const end = runOf(k, cls);
      out.push(start, end);
      i = end;
      continue;
    }
    if (cls === OTHER) {
      const end = otherRun(k);
      out.push(start, end);
      i = end;
      continue;
    }
    // Whitespace: \s+(?!\S) keeps the last space for the next token, unless at the end.
    start = i;
    const end = runOf(i, SPACE);
    if (end === n || end - i === 1) {
      out.push(start, end);
      i = end;
    } else {
      // Leave the run's last char (one unit: every space char is in the BMP).
      out.push(start, end - 1);
      i = end - 1;
    }
  }
}

export class ByteLevelPreTokenizer implements PreTokenizer {
  constructor(
    private readonly addPrefixSpace: boolean,
    private readonly useRegex: boolean,
  ) {}

  split(piece: NormalizedString, out: NormalizedString[]): void {
    if (this.addPrefixSpace && !piece.normalized.startsWith(" ")) piece.prepend(" ");
    if (!this.useRegex) {
      if (piece.length > 0) {
        byteLevelTransform(piece);
        out.push(piece);
      }
      return;
    }
    const bounds: number[] = [];
    gpt2Split(piece.normalized, bounds);
    for (let k = 0; k < bounds.length; k += 2) this.emit(piece.slice(bounds[k], bounds[k + 1]), out);
  }

  /**
   * Fast path (see PreTokenizer.splitWords): words as ranges of the piece; ASCII words
   * come with their byte-level text, which has the same unit layout as the source.
   */
  splitWords(piece: NormalizedString, ranges: number[], texts: (string | null)[]): boolean {
    const s = piece.normalized;
    if (this.addPrefixSpace && !s.startsWith(" ")) return false;
    if (this.useRegex) gpt2Split(s, ranges);
    else if (s.length > 0) ranges.push(0, s.length);
    for (let k = 0; k < ranges.length; k += 2) {
      const a = ranges[k];
      const b = ranges[k + 1];
      let ascii = true;
      for (let i = a; i < b; i++) {
        if (s.charCodeAt(i) >= 0x80) {
          ascii = false;
          break;
        }
      }
      texts.push(ascii ? byteLevelAscii(s.slice(a, b)) : null);
    }
    return true;
  }

  /** Rewrites a word the fast path could not give as text. */
  rewrite(word: NormalizedString): void {
    byteLevelTransform(word);
  }

  private units = new Uint16Array(256);
  sourceUnits = new Int32Array(256);

  /** `byteLevelTransform` of a word as text (see PreTokenizer.rewriteRange). */
  rewriteRange(text: string, start: number, end: number): string {
    const size = 4 * (end - start);
    if (this.units.length < size) {
      let cap = this.units.length;
      while (cap < size) cap *= 2;
      this.units = new Uint16Array(cap);
      this.sourceUnits = new Int32Array(cap);
    }
    const units = this.units;
    const src = this.sourceUnits;
    let k = 0;
    for (let i = start; i < end; ) {
      const cp = text.codePointAt(i)!;
      const at = i - start;
      if (cp < 0x80) {
        units[k] = BYTE_TO_CHAR[cp];
        src[k++] = at;
      } else if (cp < 0x800) {
        units[k] = BYTE_TO_CHAR[0xc0 | (cp >> 6)];
        src[k++] = at;
        units[k] = BYTE_TO_CHAR[0x80 | (cp & 0x3f)];
        src[k++] = at;
      } else if (cp < 0x10000) {
        units[k] = BYTE_TO_CHAR[0xe0 | (cp >> 12)];
        src[k++] = at;
        units[k] = BYTE_TO_CHAR[0x80 | ((cp >> 6) & 0x3f)];
        src[k++] = at;
        units[k] = BYTE_TO_CHAR[0x80 | (cp & 0x3f)];
        src[k++] = at;
      } else {
        units[k] = BYTE_TO_CHAR[0xf0 | (cp >> 18)];
        src[k++] = at;
        units[k] = BYTE_TO_CHAR[0x80 | ((cp >> 12) & 0x3f)];
        src[k++] = at;
        units[k] = BYTE_TO_CHAR[0x80 | ((cp >> 6) & 0x3f)];
        src[k++] = at;
        units[k] = BYTE_TO_CHAR[0x80 | (cp & 0x3f)];
        src[k++] = at;
      }
      i += cp >= 0x10000 ? 2 : 1;
    }
    let out = "";
    for (let j = 0; j < k; j += 8192) {
      out += String.fromCharCode.apply(null, units.subarray(j, Math.min(k, j + 8192)) as unknown as number[]);
    }
    return out;
  }

  private emit(part: NormalizedString, out: NormalizedString[]): void {
    if (part.length === 0) return;
    byteLevelTransform(part);
    out.push(part);
  }
}
