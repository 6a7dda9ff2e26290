import type { PostProcessor } from "../components.js";
import type { RawEncoding } from "../encoding.js";
import { isWhitespace } from "../unicode.js";

/** 'Ġ', the byte-level char of ' '. */
const SPACE_CHAR = 0x120;

function isSpaceLike(cp: number): boolean {
  return cp === SPACE_CHAR || isWhitespace(cp);
}

/** Rust `process_offsets`: excludes leading/trailing spaces of each token from its offsets. */
export function trimByteLevelOffsets(e: RawEncoding, addPrefixSpace: boolean): void {
  for (let i = 0; i < e.length; i++) {
    const token = e.tokens[i];
    const n = token.length;
    // Leading/trailing space-like chars (all in the BMP, so one unit each).
    let leading = 0;
    while (leading < n && isSpaceLike(token.charCodeAt(leading))) leading++;
    if (leading === 0 && (n === 0 || !isSpaceLike(token.charCodeAt(n - 1)))) continue;
    let trailing = 0;
    while (trailing < n && isSpaceLike(token.charCodeAt(n - 1 - trailing))) trailing++;
    if (leading > 0) {
      const isFirst = i === 0 || e.starts[i] === 0;
      if (isFirst && addPrefixSpace && leading === 1) leading = 0;
      e.starts[i] = Math.min(e.starts[i] + leading, e.ends[i]);
    }
    if (trailing > 0 && e.ends[i] >= trailing) e.ends[i] = Math.max(e.ends[i] - trailing, e.starts[i]);
  }
}

export class ByteLevelProcessing implements PostProcessor {
  constructor(
    private readonly trimOffsets: boolean,
    private readonly addPrefixSpace: boolean,
  ) {}
  addedTokens(): number {
    return 0;
  }
  processEncodings(encodings: RawEncoding[]): RawEncoding[] {
    if (this.trimOffsets) {
      for (const e of encodings) {
        trimByteLevelOffsets(e, this.addPrefixSpace);
        for (const o of e.overflowing) trimByteLevelOffsets(o, this.addPrefixSpace);
      }
    }
    for (let i = 0; i < encodings.length; i++) encodings[i].setSequenceId(i);
    return encodings;
  }
}
