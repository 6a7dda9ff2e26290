import type { PreTokenizer } from "../components.js";
import type { NormalizedString } from "../normalized-string.js";
import { byteLevelTransform } from "../normalizers/byte-level.js";

/**
 * GPT-2's split regex. Oniguruma's `\s` is the White_Space property, which differs from
 * JS `\s` (U+FEFF, U+0085), so it is spelled out.
 */
const GPT2_SPLIT =
  /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{N}]+|\p{White_Space}+(?!\P{White_Space})|\p{White_Space}+/gu;

export class ByteLevelPreTokenizer implements PreTokenizer {
  constructor(
    private readonly addPrefixSpace: boolean,
    private readonly useRegex: boolean,
  ) {}

  split(piece: NormalizedString, out: NormalizedString[]): void {
    if (this.addPrefixSpace && !piece.normalized.startsWith(" ")) piece.prepend(" ");
    if (!this.useRegex) {
      if (piece.length > 0) {
        byteLevelTransform(piece);
        out.push(piece);
      }
      return;
    }
    const s = piece.normalized;
    const re = GPT2_SPLIT;
    re.lastIndex = 0;
    let prev = 0;
    for (;;) {
      const m = re.exec(s);
      if (m === null) break;
      const start = m.index;
      const end = start + m[0].length;
      if (prev !== start) this.emit(piece.slice(prev, start), out);
      this.emit(piece.slice(start, end), out);
      prev = end;
    }
    if (prev < s.length) this.emit(piece.slice(prev, s.length), out);
  }

  private emit(part: NormalizedString, out: NormalizedString[]): void {
    if (part.length === 0) return;
    byteLevelTransform(part);
    out.push(part);
  }
}
