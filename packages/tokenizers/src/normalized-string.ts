/**
 * A string being normalized, with the alignment of every normalized UTF-16 unit to a range
 * of the original input (also in UTF-16 units, absolute in the whole input).
 *
 * This mirrors Rust's `NormalizedString`: Rust aligns per UTF-8 byte, we align per UTF-16
 * unit. Every alignment is char-granular in both, so the resulting original ranges agree.
 */

/** A (code point, change) list, as consumed by Rust's `transform_range`. */
export interface Transformation {
  chars: number[];
  /** 0: replaces one old char; +n: inserted; -n: replaces one old char and removes n more. */
  changes: number[];
}

export type SplitBehavior = "removed" | "isolated" | "merged_with_previous" | "merged_with_next" | "contiguous";

/** A match list covering the whole string: [start, end, isMatch] triples flattened. */
export type Matches = number[];

const NO_ALIGNMENTS = new Int32Array(0);

export class NormalizedString {
  /**
   * Set while the string is still the untouched input (or a 1:1 rewrite of it, e.g. ASCII
   * lowercasing): alignments are then implicit (unit `base + i` ↦ input unit, pairs of
   * surrogates together) and the arrays are only built when something needs them.
   */
  private identity = false;

  constructor(
    public normalized: string,
    /** Alignment arrays, possibly shared with the string this one was sliced from... */
    public alignStart: Int32Array,
    public alignEnd: Int32Array,
    /** Absolute original range covered by this string (Rust's `offsets_original`). */
    public originalStart: number,
    public originalEnd: number,
    /** ...starting at this index: slicing shares the arrays instead of allocating views. */
    public base = 0,
  ) {}

  /** Gives this string its own alignment arrays before they are modified. */
  private own(): void {
    const n = this.normalized.length;
    if (this.identity) {
      const s = new Int32Array(n);
      const e = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        s[i] = this.startOf(i);
        e[i] = this.endOf(i);
      }
      this.identity = false;
      this.alignStart = s;
      this.alignEnd = e;
      this.base = 0;
      return;
    }
    if (this.base === 0 && this.alignStart.length === n) return;
    this.alignStart = this.alignStart.slice(this.base, this.base + n);
    this.alignEnd = this.alignEnd.slice(this.base, this.base + n);
    this.base = 0;
  }

  /** Replaces the text and its alignments (arrays may be longer than the text). */
  reset(text: string, starts: Int32Array, ends: Int32Array): void {
    this.normalized = text;
    this.alignStart = starts;
    this.alignEnd = ends;
    this.base = 0;
    this.identity = false;
  }

  static fromText(text: string, start = 0): NormalizedString {
    const ns = new NormalizedString(text, NO_ALIGNMENTS, NO_ALIGNMENTS, start, start + text.length, start);
    ns.identity = true;
    return ns;
  }

  get length(): number {
    return this.normalized.length;
  }

  /** True while alignments are implicit: unit `i` comes from input unit `base + i` (pairs together). */
  get isIdentity(): boolean {
    return this.identity;
  }

  /** Maps a normalized range of this string to an absolute original range (Rust `convert_offsets`). */
  originalRange(start: number, end: number): [number, number] {
    if (start >= end) return [this.originalStart + start, this.originalStart + end];
    return [this.startOf(start), this.endOf(end - 1)];
  }

  /** Original start of normalized unit `i`. */
  startOf(i: number): number {
    if (this.identity) {
      const c = this.normalized.charCodeAt(i);
      // The second unit of a surrogate pair starts with the pair.
      if (c >= 0xdc00 && c <= 0xdfff && i > 0) {
        const p = this.normalized.charCodeAt(i - 1);
        if (p >= 0xd800 && p <= 0xdbff) return this.base + i - 1;
      }
      return this.base + i;
    }
    return this.alignStart[this.base + i];
  }

  /** Original end of normalized unit `i`. */
  endOf(i: number): number {
    if (this.identity) {
      const c = this.normalized.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < this.normalized.length) {
        const d = this.normalized.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) return this.base + i + 2;
      }
      return this.base + i + 1;
    }
    return this.alignEnd[this.base + i];
  }

  /** Sub-string on normalized units [start, end) (Rust `slice` with a normalized range). */
  slice(start: number, end: number): NormalizedString {
    if (start >= end) {
      const at = this.originalStart + start;
      return new NormalizedString("", NO_ALIGNMENTS, NO_ALIGNMENTS, at, at);
    }
    if (start === 0 && end === this.normalized.length) return this;
    const child = new NormalizedString(
      this.normalized.slice(start, end),
      this.alignStart,
      this.alignEnd,
      this.startOf(start),
      this.endOf(end - 1),
      this.base + start,
    );
    child.identity = this.identity;
    return child;
  }

  /**
   * Rust `transform_range` over [rangeStart, rangeEnd): replaces the chars of the range by
   * `dest`, computing the alignment of each new char from the change codes.
   */
  transformRange(rangeStart: number, rangeEnd: number, dest: Transformation, initialOffset: number): void {
    this.own();
    const old = this.normalized;
    const oldS = this.alignStart;
    const oldE = this.alignEnd;
    let pos = rangeStart;
    for (let k = 0; k < initialOffset && pos < rangeEnd; k++) pos += unitLen(old, pos);
    const { chars, changes } = dest;
    // Written straight into the new arrays (at most two units per new char).
    const tail = old.length - rangeEnd;
    const cap = rangeStart + 2 * chars.length + tail;
    const units = new Uint16Array(2 * chars.length);
    const s = new Int32Array(cap);
    const e = new Int32Array(cap);
    s.set(oldS.subarray(0, rangeStart));
    e.set(oldE.subarray(0, rangeStart));
    let k = rangeStart;
    let u = 0;
    for (let j = 0; j < chars.length; j++) {
      const c = chars[j];
      const change = changes[j];
      let as: number;
      let ae: number;
      if (change > 0) {
        if (pos < 1) {
          as = ae = this.originalStart;
        } else {
          as = oldS[pos - 1];
          ae = oldE[pos - 1];
        }
      } else {
        if (pos >= old.length) throw new Error("NormalizedString transform out of range");
        as = oldS[pos];
        ae = oldE[pos];
        if (pos < rangeEnd) pos += unitLen(old, pos);
        for (let r = 0; r < -change && pos < rangeEnd; r++) pos += unitLen(old, pos);
      }
      if (c >= 0x10000) {
        const v = c - 0x10000;
        units[u++] = 0xd800 + (v >> 10);
        units[u++] = 0xdc00 + (v & 0x3ff);
        s[k] = s[k + 1] = as;
        e[k] = e[k + 1] = ae;
        k += 2;
      } else {
        units[u++] = c;
        s[k] = as;
        e[k++] = ae;
      }
    }
    s.set(oldS.subarray(rangeEnd, old.length), k);
    e.set(oldE.subarray(rangeEnd, old.length), k);
    let text = "";
    for (let j = 0; j < u; j += 8192) {
      text += String.fromCharCode.apply(null, units.subarray(j, Math.min(u, j + 8192)) as unknown as number[]);
    }
    this.normalized = old.slice(0, rangeStart) + text + old.slice(rangeEnd);
    // The arrays may be longer than the text: only the first `length` entries are read.
    this.alignStart = s;
    this.alignEnd = e;
  }

  transform(dest: Transformation, initialOffset = 0): void {
    this.transformRange(0, this.normalized.length, dest, initialOffset);
  }

  /** Applies a per-char mapping where each char maps to one or more chars (first replaces, rest are inserted). */
  mapChars(map: (cp: number) => string | number): void {
    const s = this.normalized;
    const chars: number[] = [];
    const changes: number[] = [];
    let sameShape = true;
    for (let i = 0; i < s.length; ) {
      const cp = s.codePointAt(i)!;
      const len = cp >= 0x10000 ? 2 : 1;
      const mapped = map(cp);
      if (typeof mapped === "number") {
        chars.push(mapped);
        changes.push(0);
        if ((mapped >= 0x10000 ? 2 : 1) !== len) sameShape = false;
      } else {
        let first = true;
        for (const ch of mapped) {
          const m = ch.codePointAt(0)!;
          chars.push(m);
          changes.push(first ? 0 : 1);
          if (first && (m >= 0x10000 ? 2 : 1) !== len) sameShape = false;
          if (!first) sameShape = false;
          first = false;
        }
        if (first) throw new Error("mapChars: empty mapping");
      }
      i += len;
    }
    if (sameShape) {
      // Same unit layout: the alignments do not move.
      this.normalized = fromCodePoints(chars);
      return;
    }
    this.transform({ chars, changes });
  }

  /** Rust `filter`: keeps the chars for which `keep` is true. */
  filter(keep: (cp: number) => boolean): void {
    const s = this.normalized;
    const chars: number[] = [];
    const changes: number[] = [];
    let removed = 0;
    let removedStart = 0;
    let last = -1;
    let any = false;
    for (let i = 0; i < s.length; ) {
      const cp = s.codePointAt(i)!;
      i += cp >= 0x10000 ? 2 : 1;
      if (keep(cp)) {
        if (last >= 0) {
          chars.push(last);
          changes.push(-removed);
        } else removedStart = removed;
        last = cp;
        removed = 0;
      } else {
        removed++;
        any = true;
      }
    }
    if (!any) return;
    if (last >= 0) {
      chars.push(last);
      changes.push(-removed);
    }
    this.transform({ chars, changes }, removedStart);
  }

  /**
   * Rust `prepend`: the inserted chars take the alignment of the first char (written
   * directly rather than through `transformRange`, as Metaspace does this for every word).
   */
  prepend(text: string): void {
    const n = this.normalized.length;
    if (n === 0 || text.length === 0) return;
    const k = text.length;
    const s = new Int32Array(n + k);
    const e = new Int32Array(n + k);
    s.fill(this.startOf(0), 0, k);
    e.fill(this.endOf(0), 0, k);
    if (this.identity) {
      for (let i = 0; i < n; i++) {
        s[k + i] = this.startOf(i);
        e[k + i] = this.endOf(i);
      }
    } else {
      // A plain loop: words are short, and subarray views cost more than the copy.
      const b = this.base;
      const as = this.alignStart;
      const ae = this.alignEnd;
      for (let i = 0; i < n; i++) {
        s[k + i] = as[b + i];
        e[k + i] = ae[b + i];
      }
    }
    this.reset(text + this.normalized, s, e);
  }

  /** Rust `append`: appended chars share the alignment of the last char. */
  append(text: string): void {
    const s = this.normalized;
    const chars: number[] = [];
    const changes: number[] = [];
    if (s.length === 0) {
      for (const ch of text) {
        chars.push(ch.codePointAt(0)!);
        changes.push(1);
      }
      this.transformRange(0, 0, { chars, changes }, 0);
      return;
    }
    let lastStart = s.length - 1;
    const lc = s.charCodeAt(lastStart);
    if (lc >= 0xdc00 && lc <= 0xdfff && lastStart > 0) lastStart--;
    chars.push(s.codePointAt(lastStart)!);
    changes.push(0);
    for (const ch of text) {
      chars.push(ch.codePointAt(0)!);
      changes.push(1);
    }
    this.transformRange(lastStart, s.length, { chars, changes }, 0);
  }

  /** Rust `replace`: each match is replaced by `content`, whose chars align with the match's last char. */
  replace(matches: Matches, content: string): void {
    let anyMatch = false;
    for (let k = 2; k < matches.length; k += 3) if (matches[k]) anyMatch = true;
    if (!anyMatch) return;
    this.own();
    const old = this.normalized;
    const parts: string[] = [];
    const s: number[] = [];
    const e: number[] = [];
    let lastEnd = 0;
    const contentUnits = content.length;
    for (let k = 0; k < matches.length; k += 3) {
      if (!matches[k + 2]) continue;
      const start = matches[k];
      const end = matches[k + 1];
      parts.push(old.slice(lastEnd, start));
      for (let i = lastEnd; i < start; i++) {
        s.push(this.alignStart[i]);
        e.push(this.alignEnd[i]);
      }
      let as: number;
      let ae: number;
      if (end < 1) as = ae = this.originalStart;
      else {
        as = this.alignStart[end - 1];
        ae = this.alignEnd[end - 1];
      }
      for (let i = 0; i < contentUnits; i++) {
        s.push(as);
        e.push(ae);
      }
      parts.push(content);
      lastEnd = end;
    }
    parts.push(old.slice(lastEnd));
    for (let i = lastEnd; i < old.length; i++) {
      s.push(this.alignStart[i]);
      e.push(this.alignEnd[i]);
    }
    this.normalized = parts.join("");
    this.alignStart = Int32Array.from(s);
    this.alignEnd = Int32Array.from(e);
  }

  /** Rust `lstrip`/`rstrip`: removes leading/trailing whitespace. */
  strip(left: boolean, right: boolean, isWs: (cp: number) => boolean): void {
    const s = this.normalized;
    let start = 0;
    let end = s.length;
    if (left) {
      while (start < end) {
        const cp = s.codePointAt(start)!;
        if (!isWs(cp)) break;
        start += cp >= 0x10000 ? 2 : 1;
      }
    }
    if (right) {
      while (end > start) {
        let p = end - 1;
        const c = s.charCodeAt(p);
        if (c >= 0xdc00 && c <= 0xdfff && p > start) p--;
        if (!isWs(s.codePointAt(p)!)) break;
        end = p;
      }
    }
    if (start === 0 && end === s.length) return;
    this.own();
    this.normalized = s.slice(start, end);
    this.alignStart = this.alignStart.slice(start, end);
    this.alignEnd = this.alignEnd.slice(start, end);
  }

  /** Splits along `matches` with the given behavior (Rust `NormalizedString::split`). */
  split(matches: Matches, behavior: SplitBehavior): NormalizedString[] {
    const out: NormalizedString[] = [];
    const n = matches.length;
    switch (behavior) {
      case "isolated":
        for (let k = 0; k < n; k += 3) out.push(this.slice(matches[k], matches[k + 1]));
        break;
      case "removed":
        for (let k = 0; k < n; k += 3) if (!matches[k + 2]) out.push(this.slice(matches[k], matches[k + 1]));
        break;
      case "contiguous": {
        const ranges: number[] = [];
        let previous = 0;
        for (let k = 0; k < n; k += 3) {
          const isMatch = matches[k + 2];
          if (isMatch === previous && ranges.length > 0) ranges[ranges.length - 1] = matches[k + 1];
          else ranges.push(matches[k], matches[k + 1]);
          previous = isMatch;
        }
        for (let k = 0; k < ranges.length; k += 2) out.push(this.slice(ranges[k], ranges[k + 1]));
        break;
      }
      case "merged_with_previous": {
        const ranges: number[] = [];
        let previous = 0;
        for (let k = 0; k < n; k += 3) {
          const isMatch = matches[k + 2];
          if (isMatch && !previous && ranges.length > 0) ranges[ranges.length - 1] = matches[k + 1];
          else ranges.push(matches[k], matches[k + 1]);
          previous = isMatch;
        }
        for (let k = 0; k < ranges.length; k += 2) out.push(this.slice(ranges[k], ranges[k + 1]));
        break;
      }
      case "merged_with_next": {
        const ranges: number[] = [];
        let previous = 0;
        for (let k = n - 3; k >= 0; k -= 3) {
          const isMatch = matches[k + 2];
          if (isMatch && !previous && ranges.length > 0) ranges[ranges.length - 2] = matches[k];
          else ranges.push(matches[k], matches[k + 1]);
          previous = isMatch;
        }
        for (let k = ranges.length - 2; k >= 0; k -= 2) out.push(this.slice(ranges[k], ranges[k + 1]));
        break;
      }
    }
    return out;
  }
}

function unitLen(s: string, pos: number): number {
  const c = s.charCodeAt(pos);
  return c >= 0xd800 && c <= 0xdbff && pos + 1 < s.length ? 2 : 1;
}

const CHUNK = 8192;

export function fromUnits(units: number[]): string {
  if (units.length <= CHUNK) return String.fromCharCode.apply(null, units);
  let out = "";
  for (let i = 0; i < units.length; i += CHUNK) out += String.fromCharCode.apply(null, units.slice(i, i + CHUNK));
  return out;
}

export function fromCodePoints(cps: number[]): string {
  let astral = false;
  for (let i = 0; i < cps.length; i++) if (cps[i] >= 0x10000) astral = true;
  if (!astral) return fromUnits(cps);
  const units: number[] = [];
  for (const c of cps) {
    if (c >= 0x10000) {
      const v = c - 0x10000;
      units.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
    } else units.push(c);
  }
  return fromUnits(units);
}
