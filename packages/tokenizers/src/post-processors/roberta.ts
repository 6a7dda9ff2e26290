import type { PostProcessor } from "../components.js";
import type { RawEncoding } from "../encoding.js";
import { wrap } from "./bert.js";
import { trimByteLevelOffsets } from "./byte-level.js";

export class RobertaProcessing implements PostProcessor {
  constructor(
    private readonly sep: [string, number],
    private readonly cls: [string, number],
    private readonly trimOffsets: boolean,
    private readonly addPrefixSpace: boolean,
  ) {}
  addedTokens(isPair: boolean): number {
    return isPair ? 4 : 2;
  }
  processEncodings(encodings: RawEncoding[], addSpecialTokens: boolean): RawEncoding[] {
    if (this.trimOffsets) {
      for (const e of encodings) {
        trimByteLevelOffsets(e, this.addPrefixSpace);
        for (const o of e.overflowing) trimByteLevelOffsets(o, this.addPrefixSpace);
      }
    }
    for (const e of encodings) e.typeIds = new Array<number>(e.length).fill(0);
    if (!addSpecialTokens) return encodings;
    return encodings.map((e, i) => {
      const make = (x: RawEncoding) => {
        const zeros = new Array<number>(x.length + 2).fill(0);
        return i === 0 ? wrap(x, this.cls, this.sep, 0, 0, zeros, 0) : wrap(x, this.sep, this.sep, 0, 0, zeros, 1);
      };
      const out = make(e);
      out.overflowing = e.overflowing.map(make);
      return out;
    });
  }
}
