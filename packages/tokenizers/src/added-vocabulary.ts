import { asArray, asObject, configError, type Model, type Normalizer } from "./components.js";
import { NormalizedString } from "./normalized-string.js";
import { escapeRegex, isWhitespace } from "./unicode.js";

export interface AddedToken {
  content: string;
  singleWord: boolean;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
  special: boolean;
}

/** A piece of the input: free text to pre-tokenize, or an added token already matched. */
export interface Piece {
  ns: NormalizedString;
  addedId: number;
}

const WORD_CHAR = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]/u;
const WORD_AT_END = /[\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}]$/u;

/** One leftmost-longest matcher over a set of token strings (Rust uses Aho-Corasick). */
class Matcher {
  private readonly re: RegExp;
  constructor(
    patterns: string[],
    private readonly ids: Map<string, number>,
  ) {
    // Alternation sorted longest first: JS picks the first alternative matching at the
    // leftmost position, which is then the longest one.
    const sorted = [...new Set(patterns)].sort((a, b) => b.length - a.length);
    this.re = new RegExp(sorted.map(escapeRegex).join("|"), "g");
  }
  /** [start, end, id] triples of the non-overlapping leftmost-longest matches. */
  find(s: string): number[] {
    const out: number[] = [];
    const re = this.re;
    re.lastIndex = 0;
    for (;;) {
      const m = re.exec(s);
      if (m === null) break;
      out.push(m.index, m.index + m[0].length, this.ids.get(m[0])!);
    }
    return out;
  }
}

/**
 * Added tokens (Rust `AddedVocabulary`): they are cut out of the text before the model
 * sees it, first the non-normalized ones on the raw text, then the normalized ones on the
 * normalized text.
 */
export class AddedVocabulary {
  readonly byContent = new Map<string, number>();
  readonly byId = new Map<number, AddedToken>();
  readonly specialContents = new Set<string>();
  private rawMatcher: Matcher | null = null;
  private normalizedMatcher: Matcher | null = null;

  constructor(json: unknown, model: Model, normalizer: Normalizer | null) {
    const list = json === undefined || json === null ? [] : asArray(json, "added_tokens");
    const tokens: AddedToken[] = list.map((item, i) => {
      const p = `added_tokens[${i}]`;
      const o = asObject(item, p);
      if (typeof o.content !== "string") configError(`${p}.content`, "expected a string");
      return {
        content: o.content,
        singleWord: o.single_word === true,
        lstrip: o.lstrip === true,
        rstrip: o.rstrip === true,
        normalized: o.normalized === undefined ? !(o.special === true) : o.normalized === true,
        special: o.special === true,
      };
    });
    for (const t of tokens) if (t.special && t.content !== "") this.specialContents.add(t.content);
    // At load time the added vocabulary starts empty, so new ids start at the model size.
    let nextId = -1; // model.vocabSize(), only computed if a token is new (it can be costly)
    for (const t of tokens) {
      if (t.content === "") continue;
      const existing = this.byContent.get(t.content);
      let id = existing ?? model.tokenToId(t.content);
      if (id === undefined) {
        if (nextId < 0) nextId = model.vocabSize();
        id = nextId++;
      }
      this.byContent.set(t.content, id);
      this.byId.set(id, t);
    }
    const raw: string[] = [];
    const normalized: string[] = [];
    const rawIds = new Map<string, number>();
    const normalizedIds = new Map<string, number>();
    for (const [id, t] of this.byId) {
      if (t.normalized) {
        let pattern = t.content;
        if (normalizer) {
          const ns = NormalizedString.fromText(t.content);
          normalizer.normalize(ns);
          pattern = ns.normalized;
        }
        if (pattern === "") continue;
        normalized.push(pattern);
        normalizedIds.set(pattern, id);
      } else {
        raw.push(t.content);
        rawIds.set(t.content, id);
      }
    }
    if (raw.length > 0) this.rawMatcher = new Matcher(raw, rawIds);
    if (normalized.length > 0) this.normalizedMatcher = new Matcher(normalized, normalizedIds);
  }

  get size(): number {
    return this.byId.size;
  }

  idToToken(id: number): string | undefined {
    return this.byId.get(id)?.content;
  }

  isSpecial(content: string): boolean {
    return this.specialContents.has(content);
  }

  /** Rust `extract_and_normalize`: splits out added tokens and normalizes the rest. */
  extractAndNormalize(text: string, normalizer: Normalizer | null): Piece[] {
    const first = this.split(NormalizedString.fromText(text), this.rawMatcher);
    const out: Piece[] = [];
    for (const piece of first) {
      if (piece.addedId >= 0) {
        out.push(piece);
        continue;
      }
      if (normalizer) normalizer.normalize(piece.ns);
      for (const p of this.split(piece.ns, this.normalizedMatcher)) out.push(p);
    }
    return out;
  }

  private split(ns: NormalizedString, matcher: Matcher | null): Piece[] {
    const s = ns.normalized;
    if (s.length === 0) return [];
    if (matcher === null) return [{ ns, addedId: -1 }];
    const found = matcher.find(s);
    if (found.length === 0) return [{ ns, addedId: -1 }];
    const pieces: Piece[] = [];
    let startOffset = 0;
    for (let k = 0; k < found.length; k += 3) {
      let start = found[k];
      let stop = found[k + 1];
      const id = found[k + 2];
      const token = this.byId.get(id)!;
      if (token.singleWord) {
        const startSpace = start === 0 || !WORD_AT_END.test(s.slice(Math.max(0, start - 2), start));
        const stopSpace = stop === s.length || !WORD_CHAR.test(String.fromCodePoint(s.codePointAt(stop)!));
        if (!startSpace || !stopSpace) continue;
      }
      if (token.lstrip) {
        let newStart = start;
        while (newStart > 0) {
          const c = s.charCodeAt(newStart - 1);
          if (c >= 0xdc00 && c <= 0xdfff) break; // astral chars are never White_Space
          if (!isWhitespace(c)) break;
          newStart--;
        }
        start = Math.max(newStart, startOffset);
      }
      if (token.rstrip) {
        while (stop < s.length && isWhitespace(s.charCodeAt(stop))) stop++;
      }
      if (startOffset < start) pieces.push({ ns: ns.slice(startOffset, start), addedId: -1 });
      pieces.push({ ns: ns.slice(start, stop), addedId: id });
      startOffset = stop;
    }
    if (startOffset !== s.length) pieces.push({ ns: ns.slice(startOffset, s.length), addedId: -1 });
    return pieces.filter((p) => p.ns.length > 0);
  }
}
