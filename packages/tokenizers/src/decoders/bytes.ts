import { CHAR_TO_BYTE, decodeUtf8Lossy, decodeUtf8Strict, utf8Bytes } from "../byte-level-alphabet.js";
import type { Decoder } from "../components.js";

/** Maps byte-level chars back to bytes; a token with any other char keeps its own UTF-8. */
export class ByteLevelDecoder implements Decoder {
  decodeChain(tokens: string[]): string[] {
    const bytes: number[] = [];
    for (const token of tokens) {
      const start = bytes.length;
      let ok = true;
      for (let i = 0; i < token.length; i++) {
        const b = CHAR_TO_BYTE.get(token.charCodeAt(i));
        if (b === undefined) {
          ok = false;
          break;
        }
        bytes.push(b);
      }
      if (!ok) {
        bytes.length = start;
        for (const b of utf8Bytes(token)) bytes.push(b);
      }
    }
    return [decodeUtf8Lossy(Uint8Array.from(bytes))];
  }
}

const BYTE_TOKEN = /^<0x[0-9A-Fa-f]{2}>$/;

/** Turns runs of `<0xXX>` tokens into text; invalid UTF-8 becomes one U+FFFD per byte. */
export class ByteFallbackDecoder implements Decoder {
  decodeChain(tokens: string[]): string[] {
    const out: string[] = [];
    let pending: number[] = [];
    const flush = () => {
      if (pending.length === 0) return;
      const s = decodeUtf8Strict(Uint8Array.from(pending));
      if (s !== null) out.push(s);
      else for (let i = 0; i < pending.length; i++) out.push("\ufffd");
      pending = [];
    };
    for (const token of tokens) {
      if (token.length === 6 && BYTE_TOKEN.test(token)) pending.push(Number.parseInt(token.slice(3, 5), 16));
      else {
        flush();
        out.push(token);
      }
    }
    flush();
    return out;
  }
}
