import type { Normalizer } from "../components.js";
import type { NormalizedString } from "../normalized-string.js";
import { isBertRemoved, isChineseChar, isNonspacingMark, isWhitespace } from "../unicode.js";
import { lowercase, lowercaseChar } from "./simple.js";
import { normalizeForm } from "./unicode-forms.js";

const TAB_NEWLINE = /[\t\n\r]/g;

/** Spacing/enclosing marks: NFD reordering may then matter, see normalizeFused. */
const SPACING_MARK = /[\p{Mc}\p{Me}]/u;

const DECOMPOSED = new Map<number, number[]>();
/** NFD of one char as code points (cached). */
function decompose(cp: number): number[] {
  let d = DECOMPOSED.get(cp);
  if (d === undefined) {
    d = Array.from(String.fromCodePoint(cp).normalize("NFD"), (c) => c.codePointAt(0)!);
    DECOMPOSED.set(cp, d);
  }
  return d;
}

/** Per BMP char: 0 unknown, 1 unchanged by NFD, mark removal and lowercasing, 2 otherwise. */
const PLAIN_BMP = new Uint8Array(0x10000);
function isPlainBmp(cp: number): boolean {
  let v = PLAIN_BMP[cp];
  if (v === 0) {
    const ch = String.fromCharCode(cp);
    v = ch.normalize("NFD") === ch && !isNonspacingMark(cp) && lowercaseChar(cp) === ch ? 1 : 2;
    PLAIN_BMP[cp] = v;
  }
  return v === 1;
}

const LOWER = new Map<number, string>();
/** Rust `char::to_lowercase` of one char (cached). */
function lowerChar(cp: number): string {
  let l = LOWER.get(cp);
  if (l === undefined) {
    const r = lowercaseChar(cp);
    l = typeof r === "number" ? String.fromCodePoint(r) : r;
    LOWER.set(cp, l);
  }
  return l;
}

/** Anything outside printable ASCII may need cleaning (controls removed, whitespace mapped to ' '). */
const NEEDS_CLEANING = /[^\x20-\x7e]/;
/** Rust White_Space chars other than ' ' (U+000B/U+000C are removed earlier as controls). */
const OTHER_WHITESPACE = /[\t\n\r\v\f\u0085\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;
const HAS_CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ud840-\ud87e]/;
const NON_ASCII = /[\u0080-\uffff]/;

export class BertNormalizer implements Normalizer {
  constructor(
    private readonly cleanText: boolean,
    private readonly handleChineseChars: boolean,
    private readonly stripAccents: boolean,
    private readonly lowercase: boolean,
  ) {}

  normalize(input: NormalizedString): void {
    const s = input.normalized;
    if (!NEEDS_CLEANING.test(s)) {
      // Printable ASCII: only lowercasing can apply, and it keeps the unit layout.
      if (this.lowercase) input.normalized = s.toLowerCase();
      return;
    }
    if (this.keepsLayout(s)) {
      // Every char maps to exactly one unit: only the string changes, not the alignments.
      let out = this.lowercase ? s.toLowerCase() : s;
      if (this.cleanText) out = out.replace(TAB_NEWLINE, " ");
      input.normalized = out;
      return;
    }
    if (!this.stripAccents || !SPACING_MARK.test(s)) {
      this.normalizeFused(input);
      return;
    }
    this.normalizeStepwise(input);
  }

  /**
   * True when no char is removed, split off, decomposed or case-mapped to something else
   * than one unit: ASCII (controls aside) and BMP chars that all steps leave alone.
   */
  private keepsLayout(s: string): boolean {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f) return false;
        continue;
      }
      if (c >= 0xd800 && c <= 0xdfff) return false;
      if (!isPlainBmp(c)) return false;
      if (this.handleChineseChars && isChineseChar(c)) return false;
      if (this.cleanText && (isBertRemoved(c) || isWhitespace(c))) return false;
    }
    return true;
  }

  /**
   * All steps in one pass. Every step maps one char to chars that all take that char's
   * alignment (removed chars vanish), so doing them char by char gives the alignments of
   * Rust's step-by-step run. Only NFD's canonical reordering of marks crosses chars; it can
   * only matter for marks that survive strip_accents (spacing/enclosing ones), which send
   * the text to the stepwise path.
   */
  private normalizeFused(input: NormalizedString): void {
    const s = input.normalized;
    const n = s.length;
    let cap = n * 2 + 16;
    let units = new Uint16Array(cap);
    let starts = new Int32Array(cap);
    let ends = new Int32Array(cap);
    let k = 0;
    const push = (unit: number, a: number, b: number) => {
      if (k === cap) {
        cap *= 2;
        const u = new Uint16Array(cap);
        u.set(units);
        units = u;
        const x = new Int32Array(cap);
        x.set(starts);
        starts = x;
        const y = new Int32Array(cap);
        y.set(ends);
        ends = y;
      }
      units[k] = unit;
      starts[k] = a;
      ends[k++] = b;
    };
    const pushString = (str: string, a: number, b: number) => {
      for (let j = 0; j < str.length; j++) push(str.charCodeAt(j), a, b);
    };
    const emit = (cp: number, a: number, b: number) => {
      if (cp < 0x80) {
        push(this.lowercase && cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp, a, b);
        return;
      }
      if (cp < 0x10000 && isPlainBmp(cp)) {
        push(cp, a, b);
        return;
      }
      const parts = this.stripAccents ? decompose(cp) : [cp];
      for (const c of parts) {
        if (this.stripAccents && isNonspacingMark(c)) continue;
        if (this.lowercase) pushString(lowerChar(c), a, b);
        else if (c >= 0x10000) pushString(String.fromCodePoint(c), a, b);
        else push(c, a, b);
      }
    };
    const lower = this.lowercase;
    const clean = this.cleanText;
    for (let i = 0; i < n; ) {
      const unit = s.charCodeAt(i);
      if (unit < 0x80) {
        // ASCII inline: controls removed, whitespace to ' ', lowercasing.
        const a = input.startOf(i);
        const b = input.endOf(i);
        i++;
        let c = unit;
        if (clean) {
          if (c === 0x09 || c === 0x0a || c === 0x0d) c = 0x20;
          else if (c < 0x20 || c === 0x7f) continue;
        }
        if (lower && c >= 0x41 && c <= 0x5a) c += 32;
        if (k === cap) push(c, a, b);
        else {
          units[k] = c;
          starts[k] = a;
          ends[k++] = b;
        }
        continue;
      }
      let cp = s.codePointAt(i)!;
      const len = cp >= 0x10000 ? 2 : 1;
      const a = input.startOf(i);
      const b = input.endOf(i);
      i += len;
      if (this.cleanText) {
        if (isBertRemoved(cp)) continue;
        if (cp !== 0x20 && isWhitespace(cp)) cp = 0x20;
      }
      if (this.handleChineseChars && isChineseChar(cp)) {
        push(0x20, a, b);
        emit(cp, a, b);
        push(0x20, a, b);
      } else emit(cp, a, b);
    }
    let text = "";
    for (let j = 0; j < k; j += 8192) {
      text += String.fromCharCode.apply(null, units.subarray(j, Math.min(k, j + 8192)) as unknown as number[]);
    }
    // The arrays may be longer than the text: NormalizedString only reads the first k.
    input.reset(text, starts, ends);
  }

  private normalizeStepwise(input: NormalizedString): void {
    if (this.cleanText && NEEDS_CLEANING.test(input.normalized)) {
      input.filter((cp) => !isBertRemoved(cp));
      if (OTHER_WHITESPACE.test(input.normalized)) {
        input.mapChars((cp) => (cp !== 0x20 && isWhitespace(cp) ? 0x20 : cp));
      }
    }
    if (this.handleChineseChars && HAS_CJK.test(input.normalized)) this.splitChineseChars(input);
    if (this.stripAccents && NON_ASCII.test(input.normalized)) {
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
