import type { PreTokenizer } from "../components.js";
import type { Matches, NormalizedString, SplitBehavior } from "../normalized-string.js";
import { charMatches, invertMatches } from "../pattern.js";
import { isNumeric, isPunctuation, isWhitespace } from "../unicode.js";

/** Generic split of a piece by a match function and behavior; empty results are dropped. */
export function splitPiece(
  piece: NormalizedString,
  matches: Matches,
  behavior: SplitBehavior,
  out: NormalizedString[],
): void {
  for (const part of piece.split(matches, behavior)) if (part.length > 0) out.push(part);
}

export class SplitPreTokenizer implements PreTokenizer {
  constructor(
    private readonly pattern: (s: string) => Matches,
    private readonly behavior: SplitBehavior,
    private readonly invert: boolean,
  ) {}
  split(piece: NormalizedString, out: NormalizedString[]): void {
    let m = this.pattern(piece.normalized);
    if (this.invert) m = invertMatches(m);
    splitPiece(piece, m, this.behavior, out);
  }
}

export class PunctuationPreTokenizer implements PreTokenizer {
  constructor(private readonly behavior: SplitBehavior) {}
  split(piece: NormalizedString, out: NormalizedString[]): void {
    splitPiece(piece, charMatches(piece.normalized, isPunctuation), this.behavior, out);
  }
}

export class DigitsPreTokenizer implements PreTokenizer {
  constructor(private readonly individualDigits: boolean) {}
  split(piece: NormalizedString, out: NormalizedString[]): void {
    splitPiece(piece, charMatches(piece.normalized, isNumeric), this.individualDigits ? "isolated" : "contiguous", out);
  }
}

export class CharDelimiterSplit implements PreTokenizer {
  private readonly cp: number;
  constructor(delimiter: string) {
    this.cp = delimiter.codePointAt(0)!;
  }
  split(piece: NormalizedString, out: NormalizedString[]): void {
    const cp = this.cp;
    splitPiece(
      piece,
      charMatches(piece.normalized, (c) => c === cp),
      "removed",
      out,
    );
  }
}

export class WhitespaceSplit implements PreTokenizer {
  split(piece: NormalizedString, out: NormalizedString[]): void {
    const ranges: number[] = [];
    this.splitRanges(piece.normalized, ranges);
    for (let k = 0; k < ranges.length; k += 2) out.push(piece.slice(ranges[k], ranges[k + 1]));
  }

  splitRanges(s: string, out: number[]): void {
    let wordStart = -1;
    for (let i = 0; i < s.length; ) {
      const cp = s.codePointAt(i)!;
      const len = cp >= 0x10000 ? 2 : 1;
      if (isWhitespace(cp)) {
        if (wordStart >= 0) out.push(wordStart, i);
        wordStart = -1;
      } else if (wordStart < 0) wordStart = i;
      i += len;
    }
    if (wordStart >= 0) out.push(wordStart, s.length);
  }
}

const WORD = "\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}";
const WHITESPACE_RE = new RegExp(`[${WORD}]+|[^${WORD}\\p{White_Space}]+`, "gu");

/** `\w+|[^\w\s]+` with Rust's Unicode `\w`; only the matches are kept. */
export class WhitespacePreTokenizer implements PreTokenizer {
  split(piece: NormalizedString, out: NormalizedString[]): void {
    const s = piece.normalized;
    const re = WHITESPACE_RE;
    re.lastIndex = 0;
    for (;;) {
      const m = re.exec(s);
      if (m === null) break;
      out.push(piece.slice(m.index, m.index + m[0].length));
    }
  }
}

export class SequencePreTokenizer implements PreTokenizer {
  constructor(private readonly steps: PreTokenizer[]) {}
  split(piece: NormalizedString, out: NormalizedString[]): void {
    let current = [piece];
    for (const step of this.steps) {
      const next: NormalizedString[] = [];
      for (const p of current) step.split(p, next);
      current = next;
    }
    for (const p of current) out.push(p);
  }
}
