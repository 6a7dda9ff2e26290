import type { Matches } from "./normalized-string.js";

/**
 * Pattern matching producing a list of [start, end, isMatch] triples covering the whole
 * string, as Rust's `Pattern::find_matches` does.
 */

export function regexMatches(re: RegExp, s: string): Matches {
  if (s.length === 0) return [0, 0, 0];
  const out: number[] = [];
  let prev = 0;
  re.lastIndex = 0;
  for (;;) {
    const m = re.exec(s);
    if (m === null) break;
    const start = m.index;
    const end = start + m[0].length;
    if (end === start) {
      // Empty match: step over one code point like Oniguruma's find_iter.
      const c = s.charCodeAt(start);
      re.lastIndex = start + (c >= 0xd800 && c <= 0xdbff && start + 1 < s.length ? 2 : 1);
      if (start > s.length) break;
    }
    if (prev !== start) out.push(prev, start, 0);
    out.push(start, end, 1);
    prev = end;
    if (re.lastIndex > s.length) break;
  }
  if (prev !== s.length) out.push(prev, s.length, 0);
  return out;
}

/** Every char for which `pred` holds is its own match. */
export function charMatches(s: string, pred: (cp: number) => boolean): Matches {
  if (s.length === 0) return [0, 0, 0];
  const out: number[] = [];
  let last = 0;
  for (let i = 0; i < s.length; ) {
    const cp = s.codePointAt(i)!;
    const len = cp >= 0x10000 ? 2 : 1;
    if (pred(cp)) {
      if (last < i) out.push(last, i, 0);
      out.push(i, i + len, 1);
      last = i + len;
    }
    i += len;
  }
  if (last < s.length) out.push(last, s.length, 0);
  return out;
}

/** Every occurrence of a literal string is a match. */
export function stringMatches(s: string, needle: string): Matches {
  if (needle.length === 0) return [0, s.length, 0];
  if (s.length === 0) return [0, 0, 0];
  const out: number[] = [];
  let prev = 0;
  let at = s.indexOf(needle);
  while (at >= 0) {
    if (prev !== at) out.push(prev, at, 0);
    out.push(at, at + needle.length, 1);
    prev = at + needle.length;
    at = s.indexOf(needle, prev);
  }
  if (prev !== s.length) out.push(prev, s.length, 0);
  return out;
}

export function invertMatches(m: Matches): Matches {
  const out = m.slice();
  for (let k = 2; k < out.length; k += 3) out[k] = out[k] ? 0 : 1;
  return out;
}
