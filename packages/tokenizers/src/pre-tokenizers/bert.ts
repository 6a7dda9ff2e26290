import type { PreTokenizer } from "../components.js";
import type { NormalizedString } from "../normalized-string.js";
import { isPunctuation, isWhitespace } from "../unicode.js";

const UNKNOWN = 0;
const WORD = 1;
const SPACE = 2;
const PUNCT = 3;

/**
 * Class of each BMP unit, filled on first sight: the Unicode classes are range lookups,
 * too slow to repeat for every char of CJK text. Surrogates are WORD (no astral char is
 * White_Space, astral punctuation is checked on the code point).
 */
const CLASS = new Uint8Array(0x10000);

function classify(c: number): number {
  const cls = isWhitespace(c) ? SPACE : isPunctuation(c) ? PUNCT : WORD;
  CLASS[c] = cls;
  return cls;
}

/** Splits on whitespace (removed) then isolates each punctuation char, in one pass. */
export class BertPreTokenizer implements PreTokenizer {
  split(piece: NormalizedString, out: NormalizedString[]): void {
    const ranges: number[] = [];
    this.splitRanges(piece.normalized, ranges);
    for (let k = 0; k < ranges.length; k += 2) out.push(piece.slice(ranges[k], ranges[k + 1]));
  }

  splitRanges(s: string, out: number[]): void {
    let wordStart = -1;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      let cls = CLASS[c];
      if (cls === UNKNOWN) cls = c >= 0xd800 && c <= 0xdfff ? WORD : classify(c);
      if (cls === WORD) {
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
          // An astral char: punctuation is the only other class it can have.
          const cp = s.codePointAt(i)!;
          if (cp >= 0x10000 && isPunctuation(cp)) {
            if (wordStart >= 0) out.push(wordStart, i);
            out.push(i, i + 2);
            wordStart = -1;
            i++;
            continue;
          }
          if (wordStart < 0) wordStart = i;
          i++;
          continue;
        }
        if (wordStart < 0) wordStart = i;
      } else if (cls === SPACE) {
        if (wordStart >= 0) out.push(wordStart, i);
        wordStart = -1;
      } else {
        if (wordStart >= 0) out.push(wordStart, i);
        out.push(i, i + 1);
        wordStart = -1;
      }
    }
    if (wordStart >= 0) out.push(wordStart, n);
  }
}
