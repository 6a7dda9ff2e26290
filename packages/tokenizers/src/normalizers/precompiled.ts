import { configError, type Normalizer } from "../components.js";
import { fromCodePoints, type NormalizedString } from "../normalized-string.js";

/**
 * SentencePiece's precompiled charsmap (as in the `spm_precompiled` crate): a darts-clone
 * double-array trie over UTF-8 bytes whose values index a NUL-separated replacement blob.
 */
export class PrecompiledNormalizer implements Normalizer {
  private readonly units: Uint32Array;
  private readonly blob: Uint8Array;
  private readonly replacements = new Map<number, string>();
  /** Per lead byte: whether the trie root has that child (else no lookup can succeed). */
  private readonly rootHasChild = new Uint8Array(256);
  private segmenter: { segment(s: string): Iterable<{ segment: string }> } | undefined;
  private readonly decoder = new TextDecoder();
  private readonly encoder = new TextEncoder();

  constructor(base64: string, path: string) {
    let bytes: Uint8Array;
    try {
      const bin = atob(base64);
      bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    } catch {
      configError(`${path}.precompiled_charsmap`, "invalid base64");
    }
    if (bytes.length < 4) configError(`${path}.precompiled_charsmap`, "too short");
    const trieSize = bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24);
    if (trieSize < 0 || 4 + trieSize > bytes.length || trieSize % 4 !== 0) {
      configError(`${path}.precompiled_charsmap`, "corrupt trie size");
    }
    const copy = bytes.slice(4, 4 + trieSize);
    this.units = new Uint32Array(copy.buffer, 0, trieSize / 4);
    this.blob = bytes.subarray(4 + trieSize);
    if (this.units.length > 0) {
      const root = this.units[0];
      const base = offsetOf(root);
      for (let b = 1; b < 256; b++) {
        const pos = base ^ b;
        if (pos < this.units.length && labelOf(this.units[pos]) === b) this.rootHasChild[b] = 1;
      }
    }
  }

  /** Shortest-prefix match value (Rust takes `common_prefix_search(...)[0]`), or -1. */
  private lookup(bytes: Uint8Array, len: number): number {
    const units = this.units;
    if (units.length === 0) return -1;
    let pos = offsetOf(units[0]);
    for (let i = 0; i < len; i++) {
      const c = bytes[i];
      if (c === 0) break;
      pos ^= c;
      if (pos >= units.length) return -1;
      const unit = units[pos];
      if (labelOf(unit) !== c) return -1;
      pos ^= offsetOf(unit);
      if ((unit >>> 8) & 1) return units[pos] & 0x7fffffff;
    }
    return -1;
  }

  private replacement(index: number): string {
    let r = this.replacements.get(index);
    if (r === undefined) {
      let end = index;
      while (end < this.blob.length && this.blob[end] !== 0) end++;
      r = this.decoder.decode(this.blob.subarray(index, end));
      this.replacements.set(index, r);
    }
    return r;
  }

  /** The replacement of a chunk (grapheme or char), or undefined. */
  transform(chunk: string): string | undefined {
    const bytes = this.encoder.encode(chunk);
    const v = this.lookup(bytes, bytes.length);
    return v < 0 ? undefined : this.replacement(v);
  }

  private readonly charCache = new Map<number, string | null>();
  private readonly charBytes = new Uint8Array(4);

  /** BMP chars known to have no replacement (most of them; spares the cache lookup). */
  private readonly bmpKept = new Uint8Array(0x10000);

  /** `transform` of a single char, cached per code point. */
  private transformChar(cp: number): string | undefined {
    if (cp < 0x10000 && this.bmpKept[cp] === 1) return undefined;
    let r = this.charCache.get(cp);
    if (r === undefined) {
      r = null;
      if (this.rootHasChild[leadByte(cp)]) {
        const b = this.charBytes;
        let n: number;
        if (cp < 0x80) {
          b[0] = cp;
          n = 1;
        } else if (cp < 0x800) {
          b[0] = 0xc0 | (cp >> 6);
          b[1] = 0x80 | (cp & 0x3f);
          n = 2;
        } else if (cp < 0x10000) {
          b[0] = 0xe0 | (cp >> 12);
          b[1] = 0x80 | ((cp >> 6) & 0x3f);
          b[2] = 0x80 | (cp & 0x3f);
          n = 3;
        } else {
          b[0] = 0xf0 | (cp >> 18);
          b[1] = 0x80 | ((cp >> 12) & 0x3f);
          b[2] = 0x80 | ((cp >> 6) & 0x3f);
          b[3] = 0x80 | (cp & 0x3f);
          n = 4;
        }
        const v = this.lookup(b, n);
        if (v >= 0) r = this.replacement(v);
      }
      this.charCache.set(cp, r);
      if (r === null && cp < 0x10000) this.bmpKept[cp] = 1;
    }
    return r ?? undefined;
  }

  normalize(input: NormalizedString): void {
    const s = input.normalized;
    if (s.length === 0) return;
    if (!this.mayChange(s)) return;
    const chars: number[] = [];
    const changes: number[] = [];
    let modified = false;
    if (!MAY_JOIN.test(s)) {
      // No char that can extend a grapheme: every grapheme is a single char, for which
      // Rust's whole-grapheme and per-char lookups are the same.
      // Whether every replacement is one char of the same unit length (like "\n" → " "):
      // then each keeps its alignment and only the text changes.
      let sameShape = true;
      for (let i = 0; i < s.length; ) {
        const cp = s.codePointAt(i)!;
        const len = cp >= 0x10000 ? 2 : 1;
        const norm = this.transformChar(cp);
        if (norm !== undefined) {
          modified = true;
          if (sameShape && (norm.length !== len || (len === 2) !== norm.codePointAt(0)! >= 0x10000)) sameShape = false;
          pushReplacement(chars, changes, len === 1 ? s[i] : s.slice(i, i + 2), norm);
        } else {
          chars.push(cp);
          changes.push(0);
        }
        i += len;
      }
      if (!modified) return;
      if (sameShape) input.normalized = fromCodePoints(chars);
      else input.transform({ chars, changes });
      return;
    }
    for (const grapheme of this.graphemes(s)) {
      if (utf8Len(grapheme) < 6) {
        const norm = this.transform(grapheme);
        if (norm !== undefined) {
          modified = true;
          pushReplacement(chars, changes, grapheme, norm);
          continue;
        }
      }
      for (const ch of grapheme) {
        const cp = ch.codePointAt(0)!;
        const norm = this.transformChar(cp);
        if (norm !== undefined) {
          modified = true;
          pushReplacement(chars, changes, ch, norm);
        } else {
          chars.push(cp);
          changes.push(0);
        }
      }
    }
    if (modified) input.transform({ chars, changes });
  }

  /** False when no char's lead byte starts a trie path: nothing can be replaced. */
  private mayChange(s: string): boolean {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (this.rootHasChild[c]) return true;
      } else if (c < 0x800) {
        if (this.rootHasChild[0xc0 | (c >> 6)]) return true;
      } else if (c >= 0xd800 && c <= 0xdbff) {
        if (this.rootHasChild[leadByte(s.codePointAt(i)!)]) return true;
        i++;
      } else if (this.rootHasChild[0xe0 | (c >> 12)]) return true;
    }
    return false;
  }

  private graphemes(s: string): Iterable<string> {
    if (!/[\u0080-\uffff]/.test(s)) return asciiGraphemes(s);
    if (this.segmenter === undefined) {
      this.segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
    }
    const seg = this.segmenter;
    return (function* () {
      for (const part of seg.segment(s)) yield part.segment;
    })();
  }
}

/**
 * Chars that can join the previous char into one grapheme (Extend, ZWJ/ZWNJ, SpacingMark,
 * Prepend, Hangul jamo, regional indicators, emoji modifiers, tags, CR before LF).
 */
const MAY_JOIN =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: a set of single joining chars, not a sequence
  /[\p{M}\r\u200c\u200d\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff\uff9e\uff9f\u0600-\u0605\u06dd\u070f\u0890\u0891\u08e2\u0d4e\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\u{E0020}-\u{E007F}\u{110bd}\u{110cd}\u{111c2}\u{111c3}\u{1193f}\u{11941}\u{11a3a}\u{11a84}-\u{11a89}\u{11d46}]/u;

function* asciiGraphemes(s: string): Iterable<string> {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) === 13 && s.charCodeAt(i + 1) === 10) {
      yield "\r\n";
      i++;
    } else yield s[i];
  }
}

/** Rust's `replace` helper of the Precompiled normalizer (including its odd corner cases). */
function pushReplacement(chars: number[], changes: number[], old: string, replacement: string): void {
  const oldCount = countChars(old);
  let newCount = 0;
  for (const ch of replacement) {
    chars.push(ch.codePointAt(0)!);
    changes.push(0);
    newCount++;
  }
  const diff = newCount - oldCount;
  if (diff > 0) {
    for (let k = 0; k < diff && k < changes.length; k++) changes[changes.length - 1 - k] = 1;
  } else if (diff < 0 && changes.length > 0) {
    changes[changes.length - 1] += diff;
  }
}

function countChars(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!(c >= 0xdc00 && c <= 0xdfff && i > 0 && s.charCodeAt(i - 1) >= 0xd800 && s.charCodeAt(i - 1) <= 0xdbff)) n++;
  }
  return n;
}

function utf8Len(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function leadByte(cp: number): number {
  return cp < 0x80 ? cp : cp < 0x800 ? 0xc0 | (cp >> 6) : cp < 0x10000 ? 0xe0 | (cp >> 12) : 0xf0 | (cp >> 18);
}

function offsetOf(unit: number): number {
  return (unit >>> 10) << ((unit & (1 << 9)) >>> 6);
}

function labelOf(unit: number): number {
  return unit & ((1 << 31) | 0xff);
}
