import type { Normalizer } from "../components.js";
import type { NormalizedString } from "../normalized-string.js";
import { isBertRemoved, isChineseChar, isNonspacingMark, isWhitespace } from "../unicode.js";
import { lowercase } from "./simple.js";
import { normalizeForm } from "./unicode-forms.js";

/** Anything outside printable ASCII may need cleaning (controls removed, whitespace mapped to ' '). */
const NEEDS_CLEANING = /[^\x20-\x7e]/;
/** Rust White_Space chars other than ' ' (U+000B/U+000C are removed earlier as controls). */
const OTHER_WHITESPACE = /[\t\n\r\x0b\x0c\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const HAS_CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ud840-\ud87e]/;
const ASCII = /^[\x00-\x7f]*$/;

export class BertNormalizer implements Normalizer {
  constructor(
    private readonly cleanText: boolean,
    private readonly handleChineseChars: boolean,
    private readonly stripAccents: boolean,
    private readonly lowercase: boolean,
  ) {}

  normalize(input: NormalizedString): void {
    if (this.cleanText && NEEDS_CLEANING.test(input.normalized)) {
      input.filter((cp) => !isBertRemoved(cp));
      if (OTHER_WHITESPACE.test(input.normalized)) {
        input.mapChars((cp) => (cp !== 0x20 && isWhitespace(cp) ? 0x20 : cp));
      }
    }
    if (this.handleChineseChars && HAS_CJK.test(input.normalized)) this.splitChineseChars(input);
    if (this.stripAccents && !ASCII.test(input.normalized)) {
      normalizeForm(input, "NFD");
      input.filter((cp) => !isNonspacingMark(cp));
    }
    if (this.lowercase) lowercase(input);
  }

  private splitChineseChars(input: NormalizedString): void {
    const s = input.normalized;
    const chars: number[] = [];
    const changes: number[] = [];
    let any = false;
    for (let i = 0; i < s.length; ) {
      const cp = s.codePointAt(i)!;
      i += cp >= 0x10000 ? 2 : 1;
      if (isChineseChar(cp)) {
        any = true;
        chars.push(0x20, cp, 0x20);
        changes.push(0, 1, 1);
      } else {
        chars.push(cp);
        changes.push(0);
      }
    }
    if (any) input.transform({ chars, changes });
  }
}
