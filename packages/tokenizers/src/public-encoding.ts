import type { RawEncoding } from "./encoding.js";

export type Offset = [number, number];

/**
 * The result of encoding one input (or one overflowing window of it). `offsets`,
 * `sequenceIds` and `overflowing` are materialized on first read from the computed data.
 */
export class Encoding {
  readonly ids: number[];
  readonly tokens: string[];
  readonly typeIds: number[];
  readonly attentionMask: number[];
  readonly specialTokensMask: number[];
  readonly wordIds: (number | null)[];
  private offsetsCache: Offset[] | null = null;
  private sequenceIdsCache: (number | null)[] | null = null;
  private overflowingCache: Encoding[] | null = null;

  constructor(
    private readonly raw: RawEncoding,
    private readonly maps: (Int32Array | null)[] | null,
  ) {
    this.ids = raw.ids;
    this.tokens = raw.tokens;
    this.typeIds = raw.typeIds;
    this.attentionMask = raw.attentionMask;
    this.specialTokensMask = raw.specialTokensMask;
    this.wordIds = raw.words;
  }

  /** [start, end) of each token in its input text (UTF-16 units or code points, see options). */
  get offsets(): Offset[] {
    if (this.offsetsCache === null) {
      const { raw, maps } = this;
      const offsets: Offset[] = new Array(raw.length);
      for (let i = 0; i < raw.length; i++) {
        const src = raw.sources[i];
        const map = maps && src >= 0 ? maps[src] : null;
        // Offsets beyond the text only come from Rust's byte-offset quirk; they are kept as is.
        offsets[i] = map
          ? [map[raw.starts[i]] ?? raw.starts[i], map[raw.ends[i]] ?? raw.ends[i]]
          : [raw.starts[i], raw.ends[i]];
      }
      this.offsetsCache = offsets;
    }
    return this.offsetsCache;
  }

  /** Which input each token comes from (0 or 1), null for special and padding tokens. */
  get sequenceIds(): (number | null)[] {
    this.sequenceIdsCache ??= this.raw.sequenceIds();
    return this.sequenceIdsCache;
  }

  /** Windows beyond the truncation length (with stride), each a full Encoding. */
  get overflowing(): Encoding[] {
    this.overflowingCache ??= this.raw.overflowing.map((o) => new Encoding(o, this.maps));
    return this.overflowingCache;
  }

  get length(): number {
    return this.ids.length;
  }

  /** Plain-object form (JSON.stringify does not see getters). */
  toJSON(): Record<string, unknown> {
    return {
      ids: this.ids,
      tokens: this.tokens,
      typeIds: this.typeIds,
      attentionMask: this.attentionMask,
      specialTokensMask: this.specialTokensMask,
      offsets: this.offsets,
      wordIds: this.wordIds,
      sequenceIds: this.sequenceIds,
      overflowing: this.overflowing.map((o) => o.toJSON()),
    };
  }

  /** Index of the token covering char `pos` of sequence `sequenceIndex`, or null. */
  charToToken(pos: number, sequenceIndex = 0): number | null {
    for (let i = 0; i < this.ids.length; i++) {
      if (this.sequenceIds[i] !== sequenceIndex || (this.specialTokensMask[i] === 1 && this.wordIds[i] === null))
        continue;
      const [s, e] = this.offsets[i];
      if (pos >= s && pos < e) return i;
    }
    return null;
  }

  /** Source span [start, end) of a token, or null for special and padding tokens. */
  tokenToChars(token: number): Offset | null {
    if (token < 0 || token >= this.ids.length || this.sequenceIds[token] === null) return null;
    return this.offsets[token];
  }

  tokenToWord(token: number): number | null {
    return token >= 0 && token < this.wordIds.length ? this.wordIds[token] : null;
  }

  tokenToSequence(token: number): number | null {
    return token >= 0 && token < this.sequenceIds.length ? this.sequenceIds[token] : null;
  }

  /** Token range [start, end) of a word in sequence `sequenceIndex`, or null. */
  wordToTokens(word: number, sequenceIndex = 0): [number, number] | null {
    let start = -1;
    let end = -1;
    for (let i = 0; i < this.ids.length; i++) {
      if (this.wordIds[i] === word && this.sequenceIds[i] === sequenceIndex) {
        if (start < 0) start = i;
        end = i + 1;
      }
    }
    return start < 0 ? null : [start, end];
  }
}

/** Converts code point offsets of a text to UTF-16 offsets (identity for BMP-only text). */
export function codePointToUtf16(text: string): Int32Array | null {
  let astral = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      astral = true;
      break;
    }
  }
  if (!astral) return null;
  const map: number[] = [];
  for (let i = 0; i < text.length; ) {
    map.push(i);
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  map.push(text.length);
  return Int32Array.from(map);
}

export function toPublic(raw: RawEncoding, maps: (Int32Array | null)[] | null): Encoding {
  return new Encoding(raw, maps);
}
