import type { Model, ModelOutput } from "../components.js";
import { configError } from "../components.js";
import type { Vocab } from "./vocab.js";
import { WordCache } from "./word-cache.js";

/** Greedy longest-match-first WordPiece, identical to Rust's, with a per-word cache. */
export class WordPieceModel implements Model {
  private readonly cache = new WordCache<ModelOutput>(50000);
  private readonly unkId: number;

  constructor(
    private readonly v: Vocab,
    private readonly unkToken: string,
    private readonly prefix: string,
    private readonly maxInputCharsPerWord: number,
    path: string,
  ) {
    const unk = v.get(unkToken);
    this.unkId = unk === undefined ? -1 : unk;
    if (unk === undefined && v.size > 0) {
      // Rust only fails when an unknown word is met; we keep that behavior (see tokenize).
    }
    void path;
  }

  tokenize(word: string, out: ModelOutput): void {
    this.tokenizeCached(word, 0, word.length, out);
  }

  /** `tokenize(text.slice(start, end))` through the per-word cache. */
  private tokenizeCached(text: string, start: number, end: number, out: ModelOutput): void {
    const h = WordCache.hash(text, start, end);
    let cached = this.cache.get(text, start, end, h);
    if (cached === undefined) {
      const word = start === 0 && end === text.length ? text : text.slice(start, end);
      cached = this.split(word);
      this.cache.set(word, h, cached);
    }
    for (let k = 0; k < cached.ids.length; k++) {
      out.ids.push(cached.ids[k]);
      out.tokens.push(cached.tokens[k]);
      out.starts.push(cached.starts[k]);
      out.ends.push(cached.ends[k]);
    }
  }

  /**
   * Words of one unit (every CJK char under BertPreTokenizer) skip the slice and the cache:
   * per unit, id + 1 of the token (the unit itself), -1 when the general path must run.
   */
  private singleIds: Int32Array | null = null;
  private singleTokens: string[] = [];

  tokenizeRange(text: string, start: number, end: number, out: ModelOutput): void {
    if (end - start === 1) {
      const c = text.charCodeAt(start);
      this.singleIds ??= new Int32Array(0x10000);
      let id = this.singleIds[c];
      if (id === 0) {
        // A lone surrogate cannot reach a model (inputs are made well-formed).
        let token = String.fromCharCode(c);
        const found = this.v.get(token);
        if (this.maxInputCharsPerWord < 1) id = -1;
        else if (found !== undefined) id = found + 1;
        else if (this.unkId >= 0) {
          // Not in the vocabulary: the whole (one-unit) word is the unk token.
          id = this.unkId + 1;
          token = this.unkToken;
        } else id = -1;
        this.singleIds[c] = id;
        this.singleTokens[c] = token;
      }
      if (id > 0) {
        out.ids.push(id - 1);
        out.tokens.push(this.singleTokens[c]);
        out.starts.push(0);
        out.ends.push(1);
        return;
      }
    }
    this.tokenizeCached(text, start, end, out);
  }

  private unknown(word: string): ModelOutput {
    if (this.unkId < 0)
      configError(
        "model.unk_token",
        `WordPiece unk token ${JSON.stringify(this.unkToken)} is missing from the vocabulary`,
      );
    return { ids: [this.unkId], tokens: [this.unkToken], starts: [0], ends: [word.length] };
  }

  private split(word: string): ModelOutput {
    let chars = 0;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      if (!(c >= 0xdc00 && c <= 0xdfff)) chars++;
    }
    if (chars > this.maxInputCharsPerWord) return this.unknown(word);
    const vocab = this.v;
    const result: ModelOutput = { ids: [], tokens: [], starts: [], ends: [] };
    let start = 0;
    while (start < word.length) {
      let end = word.length;
      let found = -1;
      while (start < end) {
        const sub = start > 0 ? this.prefix + word.slice(start, end) : word.slice(start, end);
        const id = vocab.get(sub);
        if (id !== undefined) {
          found = id;
          result.tokens.push(sub);
          break;
        }
        const last = word.charCodeAt(end - 1);
        end -= last >= 0xdc00 && last <= 0xdfff && end - 2 >= start ? 2 : 1;
      }
      if (found < 0) return this.unknown(word);
      result.ids.push(found);
      result.starts.push(start);
      result.ends.push(end);
      start = end;
    }
    return result;
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
