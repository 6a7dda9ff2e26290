import type { PreTokenizer } from "../components.js";
import type { NormalizedString } from "../normalized-string.js";
import { HAN_SCRIPT, SCRIPT_RANGES } from "../unicode-scripts-table.js";

let table: Int32Array | null = null;

/** Rust's `fixed_script`: script index of a char, 0 ("Any") for ' ' and unlisted chars. */
function scriptOf(cp: number): number {
  if (cp === 0x20) return 0;
  if (cp === 0x30fc) return HAN_SCRIPT;
  if (table === null) {
    const parts = SCRIPT_RANGES.split(",");
    table = new Int32Array(parts.length * 3);
    let prev = 0;
    parts.forEach((p, i) => {
      const [d, l, k] = p.split(".").map((x) => Number.parseInt(x, 36));
      table![3 * i] = prev + d;
      table![3 * i + 1] = prev + d + l;
      table![3 * i + 2] = k;
      prev = prev + d + l;
    });
  }
  let lo = 0;
  let hi = table.length / 3 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < table[3 * mid]) hi = mid - 1;
    else if (cp > table[3 * mid + 1]) lo = mid + 1;
    else return table[3 * mid + 2];
  }
  return 0;
}

/**
 * Splits where the script changes (Rust `UnicodeScripts`). As in Rust, "Any" chars never
 * start a piece, so leading spaces before the first scripted char are dropped.
 */
export class UnicodeScriptsPreTokenizer implements PreTokenizer {
  split(piece: NormalizedString, out: NormalizedString[]): void {
    const s = piece.normalized;
    const cuts: number[] = [];
    let last = -1;
    for (let i = 0; i < s.length; ) {
      const cp = s.codePointAt(i)!;
      const script = scriptOf(cp);
      if (script !== 0 && last !== script) cuts.push(i);
      if (script !== 0) last = script;
      i += cp >= 0x10000 ? 2 : 1;
    }
    cuts.push(s.length);
    for (let k = 0; k + 1 < cuts.length; k++) {
      const part = piece.slice(cuts[k], cuts[k + 1]);
      if (part.length > 0) out.push(part);
    }
  }
}
