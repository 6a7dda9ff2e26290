import type { Normalizer } from "../components.js";
import type { NormalizedString } from "../normalized-string.js";
import { isCombiningMark, isWhitespace } from "../unicode.js";

const NON_ASCII = /[\u0080-\uffff]/;

/** Rust `char::to_lowercase`, char by char (no final-sigma context, unlike String#toLowerCase). */
export function lowercaseChar(cp: number): string | number {
  if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp;
  const lower = String.fromCodePoint(cp).toLowerCase();
  return lower;
}

export function lowercase(input: NormalizedString): void {
  const s = input.normalized;
  if (!NON_ASCII.test(s)) {
    // ASCII lowercasing never changes lengths, so alignments stay as they are.
    input.normalized = s.toLowerCase();
    return;
  }
  if (s.toLowerCase() === s) return;
  input.mapChars(lowercaseChar);
}

export class Lowercase implements Normalizer {
  normalize(input: NormalizedString): void {
    lowercase(input);
  }
}

export class StripAccents implements Normalizer {
  normalize(input: NormalizedString): void {
    if (!NON_ASCII.test(input.normalized)) return;
    input.filter((cp) => !isCombiningMark(cp));
  }
}

export class Strip implements Normalizer {
  constructor(
    private readonly left: boolean,
    private readonly right: boolean,
  ) {}
  normalize(input: NormalizedString): void {
    input.strip(this.left, this.right, isWhitespace);
  }
}

export class Prepend implements Normalizer {
  constructor(private readonly prefix: string) {}
  normalize(input: NormalizedString): void {
    if (input.normalized.length > 0) input.prepend(this.prefix);
  }
}

export class SequenceNormalizer implements Normalizer {
  constructor(private readonly normalizers: Normalizer[]) {}
  normalize(input: NormalizedString): void {
    for (const n of this.normalizers) n.normalize(input);
  }
}
