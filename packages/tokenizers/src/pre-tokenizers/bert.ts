import type { PreTokenizer } from "../components.js";
import type { NormalizedString } from "../normalized-string.js";
import { isPunctuation, isWhitespace } from "../unicode.js";

/** Splits on whitespace (removed) then isolates each punctuation char, in one pass. */
export class BertPreTokenizer implements PreTokenizer {
  split(piece: NormalizedString, out: NormalizedString[]): void {
    const ranges: number[] = [];
    this.splitRanges(piece.normalized, ranges);
    for (let k = 0; k < ranges.length; k += 2) out.push(piece.slice(ranges[k], ranges[k + 1]));
  }

  splitRanges(s: string, out: number[]): void {
    let wordStart = -1;
    for (let i = 0; i < s.length; ) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        // ASCII: letters and digits extend the word; space-likes end it; the rest is punctuation.
        if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) {
          if (wordStart < 0) wordStart = i;
        } else if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) {
          if (wordStart >= 0) out.push(wordStart, i);
          wordStart = -1;
        } else if (isPunctuation(c)) {
          if (wordStart >= 0) out.push(wordStart, i);
          out.push(i, i + 1);
          wordStart = -1;
        } else if (wordStart < 0) wordStart = i;
        i++;
        continue;
      }
      const cp = s.codePointAt(i)!;
      const len = cp >= 0x10000 ? 2 : 1;
      if (isWhitespace(cp)) {
        if (wordStart >= 0) out.push(wordStart, i);
        wordStart = -1;
      } else if (isPunctuation(cp)) {
        if (wordStart >= 0) out.push(wordStart, i);
        out.push(i, i + len);
        wordStart = -1;
      } else if (wordStart < 0) wordStart = i;
      i += len;
    }
    if (wordStart >= 0) out.push(wordStart, s.length);
  }
}
