/** GPT-2's byte ↔ printable char table (`bytes_to_unicode`). */

export const BYTE_TO_CHAR: number[] = new Array(256);
export const CHAR_TO_BYTE = new Map<number, number>();
/** The byte-level chars of each byte as one-char strings, for fast string building. */
export const BYTE_TO_STRING: string[] = new Array(256);

{
  let n = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
    const c = printable ? b : 256 + n++;
    BYTE_TO_CHAR[b] = c;
    BYTE_TO_STRING[b] = String.fromCharCode(c);
    CHAR_TO_BYTE.set(c, b);
  }
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Lossy UTF-8 decoding (like Rust's `String::from_utf8_lossy`). */
export function decodeUtf8Lossy(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(bytes);
}

/** Strict UTF-8 decoding; null if invalid. */
export function decodeUtf8Strict(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}
