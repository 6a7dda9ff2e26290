import type { PostProcessor } from "../components.js";
import { RawEncoding } from "../encoding.js";

/** Wraps an encoding with special tokens; used by BertProcessing and RobertaProcessing. */
export function wrap(
  e: RawEncoding,
  head: [string, number] | null,
  tail: [string, number],
  headTypeId: number,
  tailTypeId: number,
  typeIds: number[] | null,
  sequenceId: number,
): RawEncoding {
  const out = new RawEncoding();
  const h = head ? 1 : 0;
  const n = e.length;
  // concat, not push(...spread): spreading a long array as arguments overflows the stack.
  const around = <T>(headValue: T, body: T[], tailValue: T): T[] =>
    head ? [headValue].concat(body, [tailValue]) : body.concat([tailValue]);
  out.ids = around(head ? head[1] : 0, e.ids, tail[1]);
  out.tokens = around(head ? head[0] : "", e.tokens, tail[0]);
  out.typeIds = typeIds ?? around(headTypeId, e.typeIds, tailTypeId);
  out.words = around<number | null>(null, e.words, null);
  out.starts = around(0, e.starts, 0);
  out.ends = around(0, e.ends, 0);
  out.specialTokensMask = around(1, new Array<number>(n).fill(0), 1);
  out.attentionMask = new Array<number>(n + h + 1).fill(1);
  out.sources = around(-1, e.sources, -1);
  out.sequenceRanges.set(sequenceId, [h, out.ids.length - 1]);
  return out;
}

export class BertProcessing implements PostProcessor {
  constructor(
    private readonly sep: [string, number],
    private readonly cls: [string, number],
  ) {}
  addedTokens(isPair: boolean): number {
    return isPair ? 3 : 2;
  }
  processEncodings(encodings: RawEncoding[], addSpecialTokens: boolean): RawEncoding[] {
    if (!addSpecialTokens) return encodings;
    return encodings.map((e, i) => {
      const make = (x: RawEncoding) =>
        i === 0 ? wrap(x, this.cls, this.sep, 0, 0, null, 0) : wrap(x, null, this.sep, 1, 1, null, 1);
      const out = make(e);
      out.overflowing = e.overflowing.map(make);
      return out;
    });
  }
}
