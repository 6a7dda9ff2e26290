import type { Offset } from "@edgeformers/tokenizers";

/**
 * Converts UTF-16 offsets into UTF-8 byte offsets of the same text (what Rust `tokenizers`
 * and TEI report). One pass builds the prefix byte count of every UTF-16 position.
 */
export function utf16ToUtf8Offsets(text: string, offsets: readonly Offset[]): Offset[] {
  const bytesBefore = new Uint32Array(text.length + 1);
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    bytesBefore[i] = bytes;
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        // A surrogate pair is one 4-byte code point; its low half starts at the same byte.
        bytes += 4;
        bytesBefore[++i] = bytesBefore[i - 1] as number;
        continue;
      }
      bytes += 3; // lone surrogate, encoded as U+FFFD
    } else bytes += 3;
  }
  bytesBefore[text.length] = bytes;
  return offsets.map(([start, end]) => [bytesBefore[start] as number, bytesBefore[end] as number]);
}
