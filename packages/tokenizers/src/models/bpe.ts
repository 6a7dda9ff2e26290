import type { Model, ModelOutput } from "../components.js";
import { asArray, configError, TokenizerConfigError } from "../components.js";
import { PairMap } from "../pair-map.js";
import type { Vocab } from "./vocab.js";

export interface BpeOptions {
  unkToken: string | null;
  continuingSubwordPrefix: string | null;
  endOfWordSuffix: string | null;
  fuseUnk: boolean;
  byteFallback: boolean;
  ignoreMerges: boolean;
}

/**
 * A merged word: flat [id, start, end] triples, in UTF-16 units of the word, or in Rust's
 * cumulative UTF-8 byte offsets when `bytes` is set (see ModelOutput.byteOffsets).
 */
interface Word {
  data: Int32Array;
  bytes: boolean;
  /** Token strings, or null to read them from the vocabulary. */
  tokens: string[] | null;
}

const HEX = "0123456789ABCDEF";
const RANK_SCALE = 2 ** 30;

/**
 * Byte-pair encoding as in Rust's `Word::merge_all`: repeatedly applies the lowest-rank
 * merge (leftmost on ties) among adjacent symbols. Dropout is ignored (deterministic).
 */
export class BpeModel implements Model {
  /** (leftId, rightId) → merge rank. */
  private readonly merges: PairMap;
  private readonly rankToNewId: Int32Array;
  private readonly cache = new Map<string, Word>();
  private readonly charIds = new Map<string, number>();
  // Reusable work arrays for merging.
  private symId = new Int32Array(256);
  private symStart = new Int32Array(256);
  private symEnd = new Int32Array(256);
  /** Rust's symbol lengths in UTF-8 bytes (only used for the byte-offset quirk path). */
  private symBytes = new Int32Array(256);
  private symPrev = new Int32Array(256);
  private symNext = new Int32Array(256);
  private heap = new Float64Array(256 * 3 + 8);
  private readonly maxSymbolsPerUnit: number;

  constructor(
    private readonly v: Vocab,
    mergesJson: unknown,
    private readonly opts: BpeOptions,
    path: string,
  ) {
    const enc = new TextEncoder();
    this.maxSymbolsPerUnit =
      4 + enc.encode(opts.continuingSubwordPrefix ?? "").length + enc.encode(opts.endOfWordSuffix ?? "").length;
    const list = asArray(mergesJson ?? [], `${path}.merges`);
    this.merges = new PairMap(list.length);
    this.rankToNewId = new Int32Array(list.length);
    fillMergeTable(list, v.rawTable, opts.continuingSubwordPrefix?.length ?? 0, this.merges, this.rankToNewId, path);
  }

  tokenize(word: string, out: ModelOutput): void {
    if (word.length === 0) return;
    if (this.opts.ignoreMerges) {
      const id = this.v.get(word);
      if (id !== undefined) {
        out.ids.push(id);
        out.tokens.push(word);
        out.starts.push(0);
        out.ends.push(word.length);
        return;
      }
    }
    let w = this.cache.get(word);
    if (w === undefined) {
      w = this.mergeWord(word);
      if (this.cache.size >= 100000) this.cache.clear();
      this.cache.set(word, w);
    }
    const data = w.data;
    const tokens = w.tokens;
    const byId = tokens === null ? this.v.byId : null;
    for (let k = 0; k < data.length; k += 3) {
      const id = data[k];
      out.ids.push(id);
      out.tokens.push(tokens === null ? byId![id]! : tokens[k / 3]);
      out.starts.push(data[k + 1]);
      out.ends.push(data[k + 2]);
    }
    if (w.bytes) out.byteOffsets = true;
  }

  private ensureCapacity(n: number): void {
    if (this.symId.length >= n) return;
    let size = this.symId.length;
    while (size < n) size *= 2;
    this.symId = new Int32Array(size);
    this.symStart = new Int32Array(size);
    this.symEnd = new Int32Array(size);
    this.symBytes = new Int32Array(size);
    this.symPrev = new Int32Array(size);
    this.symNext = new Int32Array(size);
    // Initial pairs plus at most two new pairs per merge.
    this.heap = new Float64Array(size * 3 + 8);
  }

  private initialId(piece: string, isFirst: boolean, isLast: boolean): number | undefined {
    const { continuingSubwordPrefix: prefix, endOfWordSuffix: suffix } = this.opts;
    let s = piece;
    if (!isFirst && prefix) s = prefix + s;
    if (isLast && suffix) s = s + suffix;
    if (s === piece) {
      let id = this.charIds.get(s);
      if (id === undefined) {
        id = this.v.get(s);
        if (id !== undefined) this.charIds.set(s, id);
      }
      return id;
    }
    return this.v.get(s);
  }

  private unkId(): number {
    const id = this.v.get(this.opts.unkToken!);
    if (id === undefined)
      throw new TokenizerConfigError(
        `BPE unk token ${JSON.stringify(this.opts.unkToken)} is missing from the vocabulary`,
      );
    return id;
  }

  private mergeWord(word: string): Word {
    // Worst case: byte fallback of every char with its prefix and suffix.
    this.ensureCapacity(word.length * this.maxSymbolsPerUnit + 4);
    const { symId, symStart, symEnd, symBytes } = this;
    let n = 0;
    let unkStart = -1;
    let unkEnd = -1;
    let unkBytes = 0;
    // Rust's offsets are cumulative symbol byte lengths: they drift from the text when a
    // char is dropped or when byte fallback encodes the prefixed/suffixed form.
    let drift = false;
    // Without decorations, byte fallback or unk, every symbol's token is the text it covers.
    let plain = !this.opts.continuingSubwordPrefix && !this.opts.endOfWordSuffix;
    const { byteFallback, fuseUnk, unkToken } = this.opts;
    for (let i = 0; i < word.length; ) {
      const c = word.charCodeAt(i);
      const len = c >= 0xd800 && c <= 0xdbff && i + 1 < word.length ? 2 : 1;
      const end = i + len;
      const piece = len === 1 ? word[i] : word.slice(i, end);
      const byteLen = c < 0x80 ? 1 : c < 0x800 ? 2 : len === 2 ? 4 : 3;
      const id = this.initialId(piece, i === 0, end === word.length);
      if (id !== undefined) {
        if (unkStart >= 0) {
          symId[n] = this.unkId();
          symStart[n] = unkStart;
          symBytes[n] = unkBytes;
          symEnd[n++] = unkEnd;
          unkStart = -1;
        }
        symId[n] = id;
        symStart[n] = i;
        symBytes[n] = byteLen;
        symEnd[n++] = end;
      } else {
        let handled = false;
        if (byteFallback) {
          const decorated = this.decorated(piece, i === 0, end === word.length);
          const bytes = byteTokens(decorated);
          const ids: number[] = [];
          for (const b of bytes) {
            const bid = this.v.get(b);
            if (bid === undefined) break;
            ids.push(bid);
          }
          if (ids.length === bytes.length) {
            // Each byte token covers the whole char: all bytes of a char share its alignment.
            for (const bid of ids) {
              symId[n] = bid;
              symStart[n] = i;
              symBytes[n] = 1;
              symEnd[n++] = end;
            }
            if (decorated !== piece) drift = true;
            plain = false;
            handled = true;
          }
        }
        if (!handled) {
          plain = false;
          if (unkToken === null) drift = true;
          else if (unkStart >= 0 && fuseUnk) {
            unkEnd = end;
            unkBytes += byteLen;
          } else {
            if (unkStart >= 0) {
              symId[n] = this.unkId();
              symStart[n] = unkStart;
              symBytes[n] = unkBytes;
              symEnd[n++] = unkEnd;
            }
            this.unkId();
            unkStart = i;
            unkEnd = end;
            unkBytes = byteLen;
          }
        }
      }
      i = end;
    }
    if (unkStart >= 0) {
      symId[n] = this.unkId();
      symStart[n] = unkStart;
      symBytes[n] = unkBytes;
      symEnd[n++] = unkEnd;
    }
    const count = this.mergeAll(n);
    const result = new Int32Array(count * 3);
    let k = 0;
    let byteOffset = 0;
    for (let p = 0; p !== -1 && k < result.length; p = this.symNext[p]) {
      result[k++] = symId[p];
      if (drift) {
        result[k++] = byteOffset;
        byteOffset += symBytes[p];
        result[k++] = byteOffset;
      } else {
        result[k++] = symStart[p];
        result[k++] = symEnd[p];
      }
    }
    let tokens: string[] | null = null;
    if (plain) {
      tokens = [];
      for (let p = 0; p !== -1; p = this.symNext[p]) tokens.push(word.slice(symStart[p], symEnd[p]));
    }
    return { data: result, bytes: drift, tokens };
  }

  private decorated(piece: string, isFirst: boolean, isLast: boolean): string {
    const { continuingSubwordPrefix: prefix, endOfWordSuffix: suffix } = this.opts;
    let s = piece;
    if (!isFirst && prefix) s = prefix + s;
    if (isLast && suffix) s = s + suffix;
    return s;
  }

  /** Applies merges on symbols 0..n-1 (a linked list); returns the number of symbols left. */
  private mergeAll(n: number): number {
    if (n === 0) return 0;
    const { symId, symEnd, symPrev, symNext, merges, rankToNewId } = this;
    for (let i = 0; i < n; i++) {
      symPrev[i] = i - 1;
      symNext[i] = i + 1 < n ? i + 1 : -1;
    }
    const heap = this.heap;
    let size = 0;
    const push = (key: number) => {
      let i = size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (heap[parent] <= key) break;
        heap[i] = heap[parent];
        i = parent;
      }
      heap[i] = key;
    };
    const pop = (): number => {
      const top = heap[0];
      const last = heap[--size];
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= size) break;
        if (child + 1 < size && heap[child + 1] < heap[child]) child++;
        if (heap[child] >= last) break;
        heap[i] = heap[child];
        i = child;
      }
      heap[i] = last;
      return top;
    };
    for (let i = 0; i + 1 < n; i++) {
      const rank = merges.get(symId[i], symId[i + 1]);
      if (rank >= 0) push(rank * RANK_SCALE + i);
    }
    let count = n;
    while (size > 0) {
      const key = pop();
      const rank = Math.floor(key / RANK_SCALE);
      const pos = key - rank * RANK_SCALE;
      const newId = rankToNewId[rank];
      if (symEnd[pos] === -1) continue; // removed symbol
      const next = symNext[pos];
      if (next === -1) continue;
      // Skip stale entries: the pair at `pos` must still produce this merge.
      const current = merges.get(symId[pos], symId[next]);
      if (current < 0 || rankToNewId[current] !== newId) continue;
      symId[pos] = newId;
      this.symBytes[pos] += this.symBytes[next];
      symEnd[pos] = symEnd[next];
      symEnd[next] = -1;
      const after = symNext[next];
      symNext[pos] = after;
      if (after !== -1) symPrev[after] = pos;
      count--;
      const prev = symPrev[pos];
      if (prev >= 0) {
        const r = merges.get(symId[prev], newId);
        if (r >= 0) push(r * RANK_SCALE + prev);
      }
      if (after !== -1) {
        const r = merges.get(newId, symId[after]);
        if (r >= 0) push(r * RANK_SCALE + pos);
      }
    }
    return count;
  }

  tokenToId(token: string): number | undefined {
    return this.v.get(token);
  }
  idToToken(id: number): string | undefined {
    return this.v.byId[id];
  }
  vocabSize(): number {
    return this.v.size;
  }
}

/**
 * Rust's merge map: (id of a, id of b) → rank, and rank → id of a + b (without b's prefix).
 * A small function of its own with the vocab lookups inlined: it runs ~50k iterations at
 * load, mostly before the JIT has optimized it, when every call costs (and a small
 * function is optimized sooner).
 */
function fillMergeTable(
  list: unknown[],
  table: Readonly<Record<string, unknown>>,
  prefixLen: number,
  pairs: PairMap,
  newIds: Int32Array,
  path: string,
): void {
  for (let rank = 0; rank < list.length; rank++) {
    const m = list[rank];
    let a: string;
    let b: string;
    if (typeof m === "string") {
      const sp = m.indexOf(" ");
      if (sp < 0) badMerge(path, rank, NO_SPACE);
      a = m.slice(0, sp);
      b = m.slice(sp + 1);
    } else if (Array.isArray(m) && m.length === 2 && typeof m[0] === "string" && typeof m[1] === "string") {
      a = m[0];
      b = m[1];
    } else badMerge(path, rank, NOT_A_MERGE);
    const aId = table[a];
    const bId = table[b];
    const newId = table[prefixLen === 0 ? a + b : a + b.slice(prefixLen)];
    if (typeof aId !== "number" || typeof bId !== "number" || typeof newId !== "number")
      badMerge(path, rank, MISSING_TOKEN, a, b);
    pairs.set(aId, bId, rank);
    newIds[rank] = newId;
  }
}

const NO_SPACE = 0;
const NOT_A_MERGE = 1;
const MISSING_TOKEN = 2;

/** The load error for merge `rank` (kept out of the loop above). */
function badMerge(path: string, rank: number, kind: number, a?: string, b?: string): never {
  const where = `${path}.merges[${rank}]`;
  if (kind === NO_SPACE) configError(where, "expected two tokens separated by a space");
  if (kind === NOT_A_MERGE) configError(where, 'expected "a b" or [a, b]');
  configError(where, `merge ${JSON.stringify([a, b])} uses a token missing from the vocabulary`);
}

/** `<0xXX>` tokens of the UTF-8 bytes of a string. */
export function byteTokens(s: string): string[] {
  const bytes = new TextEncoder().encode(s);
  const out: string[] = [];
  for (const b of bytes) out.push(`<0x${HEX[b >> 4]}${HEX[b & 15]}>`);
  return out;
}
