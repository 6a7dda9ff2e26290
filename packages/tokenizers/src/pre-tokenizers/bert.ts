import type { PreTokenizer } from "../components.js";
import type { NormalizedString } from "../normalized-string.js";
import { isPunctuation, isWhitespace } from "../unicode.js";

/** Splits on whitespace (removed) then isolates each punctuation char, in one pass. */
export class BertPreTokenizer implements PreTokenizer {
  split(piece: NormalizedString, out: NormalizedString[]): void {
    const s = piece.normalized;
    let wordStart = -1;
    for (let i = 0; i < s.length; ) {
      const cp = s.codePointAt(i)!;
      const len = cp >= 0x10000 ? 2 : 1;
      if (isWhitespace(cp)) {
        if (wordStart >= 0) out.push(piece.slice(wordStart, i));
        wordStart = -1;
      } else if (isPunctuation(cp)) {
        if (wordStart >= 0) out.push(piece.slice(wordStart, i));
        out.push(piece.slice(i, i + len));
        wordStart = -1;
      } else if (wordStart < 0) wordStart = i;
      i += len;
    }
    if (wordStart >= 0) out.push(piece.slice(wordStart, s.length));
  }
}
