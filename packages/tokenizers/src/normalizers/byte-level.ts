import { BYTE_TO_CHAR, BYTE_TO_STRING } from "../byte-level-alphabet.js";

/** Byte-level form of ASCII pieces (words repeat a lot). */
const ASCII_CACHE = new Map<string, string>();

import type { Normalizer } from "../components.js";
import type { NormalizedString } from "../normalized-string.js";

/**
 * Rewrites every char as the byte-level chars of its UTF-8 bytes; the first one replaces
 * the char, the others are insertions sharing its alignment.
 */
/** Byte-level form of an ASCII string (one char per char, cached). */
export function byteLevelAscii(s: string): string {
  let out = ASCII_CACHE.get(s);
  if (out === undefined) {
    out = "";
    for (let i = 0; i < s.length; i++) out += BYTE_TO_STRING[s.charCodeAt(i)];
    if (ASCII_CACHE.size > 50000) ASCII_CACHE.clear();
    ASCII_CACHE.set(s, out);
  }
  return out;
}

export function byteLevelTransform(input: NormalizedString): void {
  const s = input.normalized;
  let ascii = true;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    // One byte per char: same unit layout, so only the string changes.
    input.normalized = byteLevelAscii(s);
    return;
  }
  // Each byte's char takes the alignment of the char it comes from (Rust: the first byte
  // replaces the char, the others are insertions sharing its alignment).
  let total = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) total += 1;
    else if (c < 0x800) total += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      total += 4;
      i++;
    } else total += 3;
  }
  const units = new Uint16Array(total);
  const starts = new Int32Array(total);
  const ends = new Int32Array(total);
  let k = 0;
  const put = (byte: number, a: number, b: number) => {
    units[k] = BYTE_TO_CHAR[byte];
    starts[k] = a;
    ends[k++] = b;
  };
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    const a = input.startOf(i);
    const b = input.endOf(i);
    i += cp >= 0x10000 ? 2 : 1;
    if (cp < 0x80) put(cp, a, b);
    else if (cp < 0x800) {
      put(0xc0 | (cp >> 6), a, b);
      put(0x80 | (cp & 0x3f), a, b);
    } else if (cp < 0x10000) {
      put(0xe0 | (cp >> 12), a, b);
      put(0x80 | ((cp >> 6) & 0x3f), a, b);
      put(0x80 | (cp & 0x3f), a, b);
    } else {
      put(0xf0 | (cp >> 18), a, b);
      put(0x80 | ((cp >> 12) & 0x3f), a, b);
      put(0x80 | ((cp >> 6) & 0x3f), a, b);
      put(0x80 | (cp & 0x3f), a, b);
    }
  }
  let text = "";
  for (let j = 0; j < total; j += 8192) {
    text += String.fromCharCode.apply(null, units.subarray(j, Math.min(total, j + 8192)) as unknown as number[]);
  }
  input.reset(text, starts, ends);
}

export class ByteLevelNormalizer implements Normalizer {
  normalize(input: NormalizedString): void {
    byteLevelTransform(input);
  }
}
