/**
 * The internal encoding, a faithful port of Rust's `Encoding` data model (including its
 * `sequence_ranges` map, which decides the reported sequence ids).
 * Offsets are in code points here, like Rust's char offsets.
 */
export class RawEncoding {
  ids: number[] = [];
  typeIds: number[] = [];
  tokens: string[] = [];
  words: (number | null)[] = [];
  starts: number[] = [];
  ends: number[] = [];
  specialTokensMask: number[] = [];
  attentionMask: number[] = [];
  /** Which input text each token comes from (0, 1, or -1 for added specials): for UTF-16 conversion. */
  sources: number[] = [];
  overflowing: RawEncoding[] = [];
  sequenceRanges = new Map<number, [number, number]>();

  get length(): number {
    return this.ids.length;
  }

  clone(): RawEncoding {
    const e = new RawEncoding();
    e.ids = this.ids.slice();
    e.typeIds = this.typeIds.slice();
    e.tokens = this.tokens.slice();
    e.words = this.words.slice();
    e.starts = this.starts.slice();
    e.ends = this.ends.slice();
    e.specialTokensMask = this.specialTokensMask.slice();
    e.attentionMask = this.attentionMask.slice();
    e.sources = this.sources.slice();
    e.overflowing = this.overflowing.map((o) => o.clone());
    e.sequenceRanges = new Map(this.sequenceRanges);
    return e;
  }

  setSequenceId(id: number): void {
    this.sequenceRanges.set(id, [0, this.length]);
  }

  /** A sub-range copy without overflowing nor sequence ranges. */
  sliceRange(start: number, stop: number): RawEncoding {
    const e = new RawEncoding();
    e.ids = this.ids.slice(start, stop);
    e.typeIds = this.typeIds.slice(start, stop);
    e.tokens = this.tokens.slice(start, stop);
    e.words = this.words.slice(start, stop);
    e.starts = this.starts.slice(start, stop);
    e.ends = this.ends.slice(start, stop);
    e.specialTokensMask = this.specialTokensMask.slice(start, stop);
    e.attentionMask = this.attentionMask.slice(start, stop);
    e.sources = this.sources.slice(start, stop);
    return e;
  }

  /** Rust `Encoding::truncate`: keeps a window and moves the rest to `overflowing`. */
  truncate(maxLen: number, stride: number, direction: "right" | "left"): void {
    const len = this.length;
    if (maxLen >= len) return;
    if (maxLen === 0) {
      const whole = this.takeAll();
      this.overflowing.push(whole);
      return;
    }
    if (stride >= maxLen) {
      throw new RangeError(
        `truncation.stride (${stride}) must be strictly less than max length ${maxLen} (the max length minus the special tokens added)`,
      );
    }
    this.sequenceRanges.clear();
    const step = maxLen - stride;
    const parts: [number, number][] = [];
    if (direction === "right") {
      for (let start = 0; start < len; start += step) {
        const stop = Math.min(start + maxLen, len);
        parts.push([start, stop]);
        if (stop === len) break;
      }
    } else {
      for (let last = len - 1; last >= 0; last -= step) {
        const stop = last + 1;
        const start = Math.max(0, stop - maxLen);
        parts.push([start, stop]);
        if (start === 0) break;
      }
    }
    const first = this.sliceRange(parts[0][0], parts[0][1]);
    for (let i = 1; i < parts.length; i++) first.overflowing.push(this.sliceRange(parts[i][0], parts[i][1]));
    Object.assign(this, first);
  }

  private takeAll(): RawEncoding {
    const e = new RawEncoding();
    Object.assign(e, this);
    const empty = new RawEncoding();
    Object.assign(this, empty);
    return e;
  }

  /**
   * Rust `merge_with`, including the cross product of overflowing parts. `pair` is only
   * read (its arrays are copied), so it needs no defensive clone.
   */
  mergeWith(pair: RawEncoding, growingOffsets: boolean): void {
    const overflowings: RawEncoding[] = [];
    for (const selfO of this.overflowing) {
      const a = selfO.clone();
      a.mergeWith(pair, growingOffsets);
      overflowings.push(a);
      for (const otherO of pair.overflowing) {
        const b = selfO.clone();
        b.mergeWith(otherO, growingOffsets);
        overflowings.push(b);
      }
    }
    for (const otherO of pair.overflowing) {
      const c = this.clone();
      c.mergeWith(otherO, growingOffsets);
      overflowings.push(c);
    }
    const originalLen = this.length;
    for (const [seq, [s, e]] of pair.sequenceRanges) this.sequenceRanges.set(seq, [originalLen + s, originalLen + e]);
    const shift = growingOffsets && this.ends.length > 0 ? this.ends[this.ends.length - 1] : 0;
    push(this.ids, pair.ids);
    push(this.typeIds, pair.typeIds);
    push(this.tokens, pair.tokens);
    push(this.words, pair.words);
    if (shift === 0) {
      push(this.starts, pair.starts);
      push(this.ends, pair.ends);
    } else {
      for (let i = 0; i < pair.starts.length; i++) {
        this.starts.push(pair.starts[i] + shift);
        this.ends.push(pair.ends[i] + shift);
      }
    }
    push(this.specialTokensMask, pair.specialTokensMask);
    push(this.attentionMask, pair.attentionMask);
    push(this.sources, pair.sources);
    this.overflowing = overflowings;
  }

  static merge(encodings: RawEncoding[], growingOffsets: boolean): RawEncoding {
    // Merging one encoding into an empty one copies it (and copies each overflowing part):
    // the encoding itself is equivalent.
    if (encodings.length === 1) return encodings[0];
    if (!growingOffsets && encodings.every((e) => e.overflowing.length === 0)) {
      // No overflowing parts: merging is plain concatenation (native concat is much faster).
      const out = new RawEncoding();
      const cat = <T>(pick: (e: RawEncoding) => T[]): T[] => ([] as T[]).concat(...encodings.map(pick));
      out.ids = cat((e) => e.ids);
      out.typeIds = cat((e) => e.typeIds);
      out.tokens = cat((e) => e.tokens);
      out.words = cat((e) => e.words);
      out.starts = cat((e) => e.starts);
      out.ends = cat((e) => e.ends);
      out.specialTokensMask = cat((e) => e.specialTokensMask);
      out.attentionMask = cat((e) => e.attentionMask);
      out.sources = cat((e) => e.sources);
      let shift = 0;
      for (const e of encodings) {
        for (const [seq, [a, b]] of e.sequenceRanges) out.sequenceRanges.set(seq, [shift + a, shift + b]);
        shift += e.length;
      }
      return out;
    }
    const out = new RawEncoding();
    for (const e of encodings) out.mergeWith(e, growingOffsets);
    return out;
  }

  /** Rust `pad`, applied to overflowing parts first. */
  pad(target: number, padId: number, padTypeId: number, padToken: string, direction: "right" | "left"): void {
    for (const o of this.overflowing) o.pad(target, padId, padTypeId, padToken, direction);
    const len = this.length;
    if (len >= target) return;
    const n = target - len;
    const fill = <T>(v: T) => new Array<T>(n).fill(v);
    if (direction === "left") {
      this.ids = fill(padId).concat(this.ids);
      this.typeIds = fill(padTypeId).concat(this.typeIds);
      this.tokens = fill(padToken).concat(this.tokens);
      this.words = fill<number | null>(null).concat(this.words);
      this.attentionMask = fill(0).concat(this.attentionMask);
      this.specialTokensMask = fill(1).concat(this.specialTokensMask);
      this.starts = fill(0).concat(this.starts);
      this.ends = fill(0).concat(this.ends);
      this.sources = fill(-1).concat(this.sources);
      for (const [k, [s, e]] of this.sequenceRanges) this.sequenceRanges.set(k, [s + n, e + n]);
    } else {
      push(this.ids, fill(padId));
      push(this.typeIds, fill(padTypeId));
      push(this.tokens, fill(padToken));
      push(this.words, fill<number | null>(null));
      push(this.attentionMask, fill(0));
      push(this.specialTokensMask, fill(1));
      push(this.starts, fill(0));
      push(this.ends, fill(0));
      push(this.sources, fill(-1));
    }
  }

  /** Rust `get_sequence_ids`. */
  sequenceIds(): (number | null)[] {
    const out: (number | null)[] = new Array(this.length).fill(null);
    const n = this.sequenceRanges.size === 0 ? 1 : this.sequenceRanges.size;
    for (let seq = 0; seq < n; seq++) {
      const range = this.sequenceRanges.get(seq) ?? [0, this.length];
      for (let i = range[0]; i < range[1] && i < out.length; i++) out[i] = seq;
    }
    return out;
  }
}

function push<T>(target: T[], items: T[]): void {
  for (let i = 0; i < items.length; i++) target.push(items[i]);
}
