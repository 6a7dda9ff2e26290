import type { PreTokenizer } from "../components.js";
import type { NormalizedString } from "../normalized-string.js";
import { byteLevelTransform } from "../normalizers/byte-level.js";
import { ONIG_LETTER_SET, ONIG_NUMBER_SET, ONIG_SPACE_SET } from "../unicode.js";

/**
 * GPT-2's split regex `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`
 * with Oniguruma's own letter/number/space sets (copied from Rust: the JS engine's Unicode
 * version differs, and JS `\s` is not Oniguruma's `\s`). Built on first use.
 */
let gpt2Split: RegExp | null = null;
function gpt2Regex(): RegExp {
  if (gpt2Split) return gpt2Split;
  const L = ONIG_LETTER_SET.classBody();
  const N = ONIG_NUMBER_SET.classBody();
  const S = ONIG_SPACE_SET.classBody();
  gpt2Split = new RegExp(
    `'s|'t|'re|'ve|'m|'ll|'d| ?[${L}]+| ?[${N}]+| ?[^${S}${L}${N}]+|[${S}]+(?![^${S}])|[${S}]+`,
    "gu",
  );
  return gpt2Split;
}

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
    const re = gpt2Regex();
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
