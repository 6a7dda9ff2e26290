import type { Normalizer } from "../components.js";
import type { NormalizedString } from "../normalized-string.js";
import { isBertRemoved, isChineseChar, isNonspacingMark, isWhitespace } from "../unicode.js";
import { lowercase, lowercaseChar } from "./simple.js";
import { normalizeForm } from "./unicode-forms.js";

const TAB_NEWLINE = /[\t\n\r]/g;

const MARK = /\p{M}/u;

/**
 * Marks that survive strip_accents: spacing/enclosing ones, and nonspacing ones newer than the
 * unicode_categories tables Rust strips with (e.g. U+1AC1, Unicode 14) while its NFD already
 * knows their combining class. NFD may reorder them across chars, see normalizeFused.
 */
function isSurvivingMark(cp: number): boolean {
  return cp >= 0x300 && !isNonspacingMark(cp) && MARK.test(String.fromCodePoint(cp));
}

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

// What the fused pass does with one BMP char (see BertNormalizer.classify).
const UNKNOWN = 0;
/** Written as is. */
const KEEP = 1;
/** Replaced by the one unit in `unit`. */
const MAP = 2;
const REMOVE = 3;
/** A Chinese char: the unit in `unit` between two spaces. */
const CJK = 4;
/** Several units (in `multi`), all aligned with the char. */
const MULTI = 5;
/** A spacing/enclosing mark while stripping accents: the fused pass does not apply. */
const SPACING = 6;

/** Scratch buffers of the fused pass, shared by all instances (grown on demand). */
let scratchUnits = new Uint16Array(1024);
let scratchStarts = new Int32Array(1024);
let scratchEnds = new Int32Array(1024);
function growScratch(size: number): void {
  let cap = scratchUnits.length;
  while (cap < size) cap *= 2;
  const u = new Uint16Array(cap);
  u.set(scratchUnits);
  scratchUnits = u;
  const a = new Int32Array(cap);
  a.set(scratchStarts);
  scratchStarts = a;
  const b = new Int32Array(cap);
  b.set(scratchEnds);
  scratchEnds = b;
}

/**
 * Writes `text` at scratch unit `k`, every unit aligned to input [a, b), first growing the scratch
 * so that `rest` more input units still fit (at most 3 output units each). Returns the new k; the
 * caller reloads its scratch references, which growth replaces.
 */
function appendAligned(k: number, text: string, a: number, b: number, rest: number): number {
  const need = k + text.length + 3 * rest + 8;
  if (need > scratchUnits.length) growScratch(need);
  for (let j = 0; j < text.length; j++, k++) {
    scratchUnits[k] = text.charCodeAt(j);
    scratchStarts[k] = a;
    scratchEnds[k] = b;
  }
  return k;
}

export class BertNormalizer implements Normalizer {
  /** Per BMP char: what the fused pass does with it (UNKNOWN until first met). */
  private readonly kind = new Uint8Array(0x10000);
  private readonly unit = new Uint16Array(0x10000);
  private readonly multi = new Map<number, string>();

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
      // Every char stays itself but for ASCII case and tab/newline → space: only the text
      // changes, and String#toLowerCase does it natively (it only changes ASCII here).
      let out = this.lowercase ? s.toLowerCase() : s;
      if (this.cleanText) out = out.replace(TAB_NEWLINE, " ");
      input.normalized = out;
      return;
    }
    if (!this.normalizeFused(input)) this.normalizeStepwise(input);
  }

  /** True when every char is printable ASCII, \t, \n, \r or a BMP char the steps keep. */
  private keepsLayout(s: string): boolean {
    const kinds = this.kind;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c >= 0x20 ? c === 0x7f : c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
        continue;
      }
      let kind = kinds[c];
      if (kind === UNKNOWN) {
        if (c >= 0xd800 && c <= 0xdfff) return false;
        kind = this.classify(c);
      }
      if (kind !== KEEP) return false;
    }
    return true;
  }

  /** Output of the steps after clean_text for one char (strip_accents, lowercase). */
  private emitted(cp: number): string {
    if (cp < 0x80) return String.fromCharCode(this.lowercase && cp >= 0x41 && cp <= 0x5a ? cp + 32 : cp);
    if (cp < 0x10000 && isPlainBmp(cp)) return String.fromCharCode(cp);
    let out = "";
    for (const c of this.stripAccents ? decompose(cp) : [cp]) {
      if (this.stripAccents && isNonspacingMark(c)) continue;
      out += this.lowercase ? lowerChar(c) : String.fromCodePoint(c);
    }
    return out;
  }

  /** Fills the tables for BMP char `c` and returns its kind. */
  private classify(c: number): number {
    let kind: number;
    let cp = c;
    let removed = false;
    if (this.cleanText) {
      if (isBertRemoved(c)) removed = true;
      else if (c !== 0x20 && isWhitespace(c)) cp = 0x20;
    }
    if (removed) kind = REMOVE;
    else if (this.stripAccents && isSurvivingMark(c)) kind = SPACING;
    else {
      const out = this.emitted(cp);
      const chinese = this.handleChineseChars && isChineseChar(cp);
      if (out.length === 1 && chinese) kind = CJK;
      else if (out.length === 1) kind = out.charCodeAt(0) === c ? KEEP : MAP;
      else if (out.length === 0 && !chinese) kind = REMOVE;
      else {
        kind = MULTI;
        this.multi.set(c, chinese ? ` ${out} ` : out);
      }
      if (out.length === 1) this.unit[c] = out.charCodeAt(0);
    }
    this.kind[c] = kind;
    return kind;
  }

  /**
   * All steps in one pass, char by char from per-char tables. Every step maps one char to
   * chars that all take that char's alignment (removed chars vanish), so this gives the
   * alignments of Rust's step-by-step run. Only NFD's canonical reordering of marks crosses
   * chars; it can only matter for marks that survive strip_accents (isSurvivingMark): then this
   * returns false and nothing is changed.
   */
  private normalizeFused(input: NormalizedString): boolean {
    const s = input.normalized;
    const n = s.length;
    if (scratchUnits.length < 3 * n + 8) growScratch(3 * n + 8);
    const identity = input.isIdentity;
    const base = input.base;
    const alignStart = input.alignStart;
    const alignEnd = input.alignEnd;
    const kinds = this.kind;
    const unit = this.unit;
    let units = scratchUnits;
    let starts = scratchStarts;
    let ends = scratchEnds;
    let k = 0;
    // Whether output unit i still comes from input unit i alone (alignments unchanged).
    let sameLayout = true;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      let a: number;
      let b: number;
      if (identity) {
        a = base + i;
        b = a + 1;
      } else {
        a = alignStart[base + i];
        b = alignEnd[base + i];
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        // An astral char (the input is well-formed): the rare general path.
        const cp = s.codePointAt(i)!;
        if (identity) b = a + 2;
        i++;
        if (this.cleanText && isBertRemoved(cp)) {
          sameLayout = false;
          continue;
        }
        if (this.stripAccents && isSurvivingMark(cp)) return false;
        const out = this.emitted(cp);
        k = appendAligned(k, this.handleChineseChars && isChineseChar(cp) ? ` ${out} ` : out, a, b, n - i);
        units = scratchUnits;
        starts = scratchStarts;
        ends = scratchEnds;
        sameLayout = false;
        continue;
      }
      let kind = kinds[c];
      if (kind === UNKNOWN) kind = this.classify(c);
      if (kind === KEEP || kind === MAP) {
        units[k] = kind === KEEP ? c : unit[c];
        starts[k] = a;
        ends[k++] = b;
      } else if (kind === CJK) {
        units[k] = 0x20;
        units[k + 1] = unit[c];
        units[k + 2] = 0x20;
        starts[k] = starts[k + 1] = starts[k + 2] = a;
        ends[k] = ends[k + 1] = ends[k + 2] = b;
        k += 3;
        sameLayout = false;
      } else if (kind === REMOVE) sameLayout = false;
      else if (kind === SPACING) return false;
      else {
        k = appendAligned(k, this.multi.get(c)!, a, b, n - i);
        units = scratchUnits;
        starts = scratchStarts;
        ends = scratchEnds;
        sameLayout = false;
      }
    }
    let text = "";
    for (let j = 0; j < k; j += 8192) {
      text += String.fromCharCode.apply(null, units.subarray(j, Math.min(k, j + 8192)) as unknown as number[]);
    }
    // Same layout: every unit kept its place, only the text changes (no alignment arrays).
    if (sameLayout) input.normalized = text;
    else input.reset(text, starts.slice(0, k), ends.slice(0, k));
    return true;
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
