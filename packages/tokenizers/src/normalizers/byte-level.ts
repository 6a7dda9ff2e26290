import { BYTE_TO_CHAR, BYTE_TO_STRING } from "../byte-level-alphabet.js";

/** Byte-level form of ASCII pieces (words repeat a lot). */
const ASCII_CACHE = new Map<string, string>();

import type { Normalizer } from "../components.js";
import type { NormalizedString } from "../normalized-string.js";

/**
 * Rewrites every char as the byte-level chars of its UTF-8 bytes; the first one replaces
 * the char, the others are insertions sharing its alignment.
 */
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
    let out = ASCII_CACHE.get(s);
    if (out === undefined) {
      out = "";
      for (let i = 0; i < s.length; i++) out += BYTE_TO_STRING[s.charCodeAt(i)];
      if (ASCII_CACHE.size > 50000) ASCII_CACHE.clear();
      ASCII_CACHE.set(s, out);
    }
    input.normalized = out;
    return;
  }
  const chars: number[] = [];
  const changes: number[] = [];
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    i += cp >= 0x10000 ? 2 : 1;
    if (cp < 0x80) {
      chars.push(BYTE_TO_CHAR[cp]);
      changes.push(0);
    } else if (cp < 0x800) {
      chars.push(BYTE_TO_CHAR[0xc0 | (cp >> 6)], BYTE_TO_CHAR[0x80 | (cp & 0x3f)]);
      changes.push(0, 1);
    } else if (cp < 0x10000) {
      chars.push(
        BYTE_TO_CHAR[0xe0 | (cp >> 12)],
        BYTE_TO_CHAR[0x80 | ((cp >> 6) & 0x3f)],
        BYTE_TO_CHAR[0x80 | (cp & 0x3f)],
      );
      changes.push(0, 1, 1);
    } else {
      chars.push(
        BYTE_TO_CHAR[0xf0 | (cp >> 18)],
        BYTE_TO_CHAR[0x80 | ((cp >> 12) & 0x3f)],
        BYTE_TO_CHAR[0x80 | ((cp >> 6) & 0x3f)],
        BYTE_TO_CHAR[0x80 | (cp & 0x3f)],
      );
      changes.push(0, 1, 1, 1);
    }
  }
  input.transform({ chars, changes });
}

export class ByteLevelNormalizer implements Normalizer {
  normalize(input: NormalizedString): void {
    byteLevelTransform(input);
  }
}
