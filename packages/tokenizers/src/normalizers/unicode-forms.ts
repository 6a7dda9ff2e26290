import type { Normalizer } from "../components.js";
import type { NormalizedString } from "../normalized-string.js";
import { isCombiningMark } from "../unicode.js";

export type Form = "NFC" | "NFD" | "NFKC" | "NFKD";

/** Chars that may combine with what precedes them: marks and Hangul medial/final jamo. */
const COMBINING = /^[\p{M}\u1160-\u11ff\ud7b0-\ud7ff\u302e\u302f]$/u;
const MARK = /^\p{M}$/u;

/**
 * A mark the JS engine knows but the Rust crate's older Unicode tables do not (not in its
 * combining-mark table, e.g. U+1AC1 from Unicode 14). The crate gives it class 0: a starter
 * that no mark is reordered across and nothing composes through. It gets a segment of its
 * own, so each segment is normalized as the crate would (classes of known marks are stable).
 */
function isNewMark(cp: number): boolean {
  return cp >= 0x300 && !isCombiningMark(cp) && MARK.test(String.fromCodePoint(cp));
}
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Unicode normalization with per-char alignment. The string is cut into segments (a char
 * plus the combining chars that follow it); each changed segment is rewritten with change
 * codes like the `unicode-normalization-alignments` crate: a decomposition keeps its first
 * char in place of the source and inserts the rest; a composition replaces the first
 * source char and removes the others.
 */
export function normalizeForm(input: NormalizedString, form: Form): void {
  const s = input.normalized;
  if (!NON_ASCII.test(s)) return;
  if (s.normalize(form) === s) return;
  const chars: number[] = [];
  const changes: number[] = [];
  let initialOffset = 0;
  let i = 0;
  while (i < s.length) {
    let j = i + charLen(s, i);
    // A new mark stands alone; marks after it start the next segment.
    while (j < s.length && !isNewMark(s.codePointAt(i)!)) {
      const cp = s.codePointAt(j)!;
      if (cp < 0x300 || !COMBINING.test(String.fromCodePoint(cp)) || isNewMark(cp)) break;
      j += cp >= 0x10000 ? 2 : 1;
    }
    const segment = s.slice(i, j);
    const target = segment.normalize(form);
    if (target === segment) {
      for (const ch of segment) {
        chars.push(ch.codePointAt(0)!);
        changes.push(0);
      }
    } else if (
      !emitPerChar(segment, target, form, chars, changes) &&
      !emitReordered(segment, target, form, chars, changes) &&
      !emitGreedy(segment, target, form, chars, changes)
    ) {
      const oldCount = countChars(segment);
      let k = 0;
      for (const ch of target) {
        chars.push(ch.codePointAt(0)!);
        changes.push(k < oldCount ? 0 : 1);
        k++;
      }
      if (k < oldCount) {
        if (k > 0) changes[changes.length - 1] -= oldCount - k;
        else if (changes.length > 0) changes[changes.length - 1] -= oldCount;
        else initialOffset += oldCount;
      }
    }
    i = j;
  }
  input.transform({ chars, changes }, initialOffset);
}

/** Decomposition char by char, when it reproduces the segment's normalization (no reordering). */
function emitPerChar(segment: string, target: string, form: Form, chars: number[], changes: number[]): boolean {
  if (form === "NFC" || form === "NFKC") return false;
  const parts: string[] = [];
  for (const ch of segment) parts.push(ch.normalize(form));
  if (parts.join("") !== target) return false;
  for (const part of parts) {
    let first = true;
    for (const ch of part) {
      chars.push(ch.codePointAt(0)!);
      changes.push(first ? 0 : 1);
      first = false;
    }
    if (first) return false;
  }
  return true;
}

/**
 * Decomposition whose marks get canonically reordered: the per-char decompositions and
 * their change codes, put in the order of `target`. The crate sorts (class, char, change)
 * entries, so each char keeps its own code while the alignments stay in source order.
 */
function emitReordered(segment: string, target: string, form: Form, chars: number[], changes: number[]): boolean {
  if (form === "NFC" || form === "NFKC") return false;
  const cps: number[] = [];
  const codes: number[] = [];
  for (const ch of segment) {
    let first = true;
    for (const d of ch.normalize(form)) {
      cps.push(d.codePointAt(0)!);
      codes.push(first ? 0 : 1);
      first = false;
    }
    if (first) return false;
  }
  const used = new Uint8Array(cps.length);
  const outChars: number[] = [];
  const outCodes: number[] = [];
  for (const t of target) {
    const cp = t.codePointAt(0)!;
    // Equal chars have equal classes, so the stable sort keeps their order.
    let k = 0;
    while (k < cps.length && (used[k] === 1 || cps[k] !== cp)) k++;
    if (k === cps.length) return false;
    used[k] = 1;
    outChars.push(cp);
    outCodes.push(codes[k]);
  }
  if (outChars.length !== cps.length) return false;
  for (let k = 0; k < outChars.length; k++) {
    chars.push(outChars[k]);
    changes.push(outCodes[k]);
  }
  return true;
}

/**
 * Composition: each target char is produced by the shortest run of source chars whose
 * normalization, followed by the normalization of the rest, rebuilds the target. The
 * first char of the run is replaced, the others are removed (a negative change), and
 * extra chars of an expansion are insertions.
 */
function emitGreedy(segment: string, target: string, form: Form, chars: number[], changes: number[]): boolean {
  const src = Array.from(segment);
  const startLen = chars.length;
  let rest = target;
  let i = 0;
  while (i < src.length) {
    let found = 0;
    let produced = "";
    for (let r = 1; i + r <= src.length; r++) {
      produced = src
        .slice(i, i + r)
        .join("")
        .normalize(form);
      if (
        rest.startsWith(produced) &&
        rest.slice(produced.length) ===
          src
            .slice(i + r)
            .join("")
            .normalize(form)
      ) {
        found = r;
        break;
      }
    }
    if (found === 0 || produced.length === 0) {
      chars.length = changes.length = startLen;
      return false;
    }
    let first = true;
    for (const ch of produced) {
      chars.push(ch.codePointAt(0)!);
      changes.push(first ? -(found - 1) : 1);
      first = false;
    }
    rest = rest.slice(produced.length);
    i += found;
  }
  return rest.length === 0;
}

function charLen(s: string, i: number): number {
  const c = s.charCodeAt(i);
  return c >= 0xd800 && c <= 0xdbff && i + 1 < s.length ? 2 : 1;
}

function countChars(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i += charLen(s, i)) n++;
  return n;
}

export class UnicodeNormalizer implements Normalizer {
  constructor(private readonly form: Form) {}
  normalize(input: NormalizedString): void {
    normalizeForm(input, this.form);
  }
}
