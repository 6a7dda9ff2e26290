import type { PreTokenizer } from "../components.js";
import type { NormalizedString } from "../normalized-string.js";
import { charMatches, stringMatches } from "../pattern.js";
import { splitPiece } from "./split.js";

export type PrependScheme = "always" | "first" | "never";

export class MetaspacePreTokenizer implements PreTokenizer {
  private readonly replacementCp: number;
  constructor(
    private readonly replacement: string,
    private readonly prependScheme: PrependScheme,
    private readonly splitOnReplacement: boolean,
  ) {
    this.replacementCp = replacement.codePointAt(0)!;
  }

  split(piece: NormalizedString, out: NormalizedString[]): void {
    piece.replace(stringMatches(piece.normalized, " "), this.replacement);
    if (this.prependScheme === "always") {
      if (!piece.normalized.startsWith(this.replacement)) piece.prepend(this.replacement);
    } else if (this.prependScheme === "first") {
      if (!piece.normalized.startsWith(this.replacement) && piece.originalStart === 0) piece.prepend(this.replacement);
    }
    if (this.splitOnReplacement) {
      const cp = this.replacementCp;
      splitPiece(
        piece,
        charMatches(piece.normalized, (c) => c === cp),
        "merged_with_next",
        out,
      );
    } else if (piece.length > 0) out.push(piece);
  }
}
