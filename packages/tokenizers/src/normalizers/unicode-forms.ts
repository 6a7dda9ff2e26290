import type { Normalizer } from "../components.js";
import type { NormalizedString } from "../normalized-string.js";

export type Form = "NFC" | "NFD" | "NFKC" | "NFKD";

/** Chars that may combine with what precedes them: marks and Hangul medial/final jamo. */
const COMBINING = /^[\p{M}\u1160-\u11ff\ud7b0-\ud7ff\u302e\u302f]$/u;
const ASCII = /^[\x00-\x7f]*$/;

/**
 * Unicode normalization with per-char alignment. The string is cut into segments (a char
 * plus the combining chars that follow it); each changed segment is rewritten with change
 * codes like the `unicode-normalization-alignments` crate: a decomposition keeps its first
 * char in place of the source and inserts the rest; a composition replaces the first
 * source char and removes the others.
 */
export function normalizeForm(input: NormalizedString, form: Form): void {
  const s = input.normalized;
  if (ASCII.test(s)) return;
  if (s.normalize(form) === s) return;
  const chars: number[] = [];
  const changes: number[] = [];
  let initialOffset = 0;
  let i = 0;
  while (i < s.length) {
    let j = i + charLen(s, i);
    while (j < s.length) {
      const cp = s.codePointAt(j)!;
      if (cp < 0x300 || !COMBINING.test(String.fromCodePoint(cp))) break;
      j += cp >= 0x10000 ? 2 : 1;
    }
    const segment = s.slice(i, j);
    const target = segment.normalize(form);
    if (target === segment) {
      for (const ch of segment) {
        chars.push(ch.codePointAt(0)!);
        changes.push(0);
      }
    } else if (!emitPerChar(segment, target, form, chars, changes)) {
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
