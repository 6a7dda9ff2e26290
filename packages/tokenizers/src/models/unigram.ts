import type { Model, ModelOutput } from "../components.js";
import { asArray, configError, TokenizerConfigError } from "../components.js";
import { PairMap } from "../pair-map.js";
import { byteTokens } from "./bpe.js";

/** Rust's penalty added below the lowest score for unknown chars. */
const UNK_PENALTY = 10.0;

/**
 * Unigram language model with Viterbi decoding (Rust `encode_optimized`). The vocabulary
 * trie is one Map keyed by (node * 65536 + UTF-16 unit): cheap to build at load time.
 */
export class UnigramModel implements Model {
  private readonly tokens: string[] = [];
  private readonly scores: Float64Array;
  /** Trie edges: (node, UTF-16 unit) → child node. */
  private readonly children: PairMap;
  /** Token id ending at each trie node, or -1. */
  private nodeToken: Int32Array;
  private nodeCount = 1;
  private readonly minScore: number;
  private readonly cache = new Map<string, ModelOutput>();

  constructor(
    vocabJson: unknown,
    private readonly unkId: number | null,
    private readonly byteFallback: boolean,
    path: string,
  ) {
    const list = asArray(vocabJson, `${path}.vocab`);
    this.scores = new Float64Array(list.length);
    // Size the trie for the total token length so that it never has to grow.
    let units = 16;
    for (const entry of list) if (Array.isArray(entry) && typeof entry[0] === "string") units += entry[0].length;
    this.nodeToken = new Int32Array(units + 1).fill(-1);
    this.children = new PairMap(units);
    let min = Infinity;
    for (let id = 0; id < list.length; id++) {
      const entry = list[id];
      if (!Array.isArray(entry) || typeof entry[0] !== "string" || typeof entry[1] !== "number") {
        configError(`${path}.vocab[${id}]`, "expected [token, score]");
      }
      const [token, score] = entry as [string, number];
      this.tokens.push(token);
      this.scores[id] = score;
      if (score < min) min = score;
      this.insert(token, id);
    }
    this.minScore = min;
    if (unkId !== null && (unkId < 0 || unkId >= list.length)) configError(`${path}.unk_id`, "out of vocabulary range");
  }

  /** Rust's token → id map, read through the trie (a later duplicate wins there too). */
  private idOf(token: string): number | undefined {
    if (token.length === 0) return undefined;
    let node = 0;
    for (let i = 0; i < token.length; i++) {
      node = this.children.get(node, token.charCodeAt(i));
      if (node < 0) return undefined;
    }
    const id = this.nodeToken[node];
    return id < 0 ? undefined : id;
  }

  private insert(token: string, id: number): void {
    let node = 0;
    for (let i = 0; i < token.length; i++) {
      const c = token.charCodeAt(i);
      let child = this.children.get(node, c);
      if (child < 0) {
        child = this.nodeCount++;
        if (child >= this.nodeToken.length) {
          const bigger = new Int32Array(this.nodeToken.length * 2).fill(-1);
          bigger.set(this.nodeToken);
          this.nodeToken = bigger;
        }
        this.children.set(node, c, child);
      }
      node = child;
    }
    // A later duplicate overwrites, like Rust's token → id map.
    if (token.length > 0) this.nodeToken[node] = id;
  }

  tokenize(piece: string, out: ModelOutput): void {
    if (piece.length === 0) return;
    let cached = this.cache.get(piece);
    if (cached === undefined) {
      cached = this.encode(piece);
      if (this.cache.size >= 50000) this.cache.clear();
      this.cache.set(piece, cached);
    }
    for (let k = 0; k < cached.ids.length; k++) {
      out.ids.push(cached.ids[k]);
      out.tokens.push(cached.tokens[k]);
      out.starts.push(cached.starts[k]);
      out.ends.push(cached.ends[k]);
    }
  }

  private encode(s: string): ModelOutput {
    const size = s.length;
    const bestScore = new Float64Array(size + 1);
    const startsAt = new Int32Array(size + 1).fill(-1);
    const bestId = new Int32Array(size + 1);
    const unkScore = this.minScore - UNK_PENALTY;
    const { children, nodeToken, scores } = this;
    for (let start = 0; start < size; ) {
      const base = bestScore[start];
      const c0 = s.charCodeAt(start);
      const mblen = c0 >= 0xd800 && c0 <= 0xdbff && start + 1 < size ? 2 : 1;
      let hasSingle = false;
      let node = 0;
      for (let pos = start; pos < size; pos++) {
        const child = children.get(node, s.charCodeAt(pos));
        if (child < 0) break;
        node = child;
        const id = nodeToken[node];
        if (id < 0) continue;
        const end = pos + 1;
        const candidate = scores[id] + base;
        if (startsAt[end] < 0 || candidate > bestScore[end]) {
          bestScore[end] = candidate;
          startsAt[end] = start;
          bestId[end] = id;
        }
        if (end - start === mblen) hasSingle = true;
      }
      if (!hasSingle) {
        const end = start + mblen;
        const candidate = unkScore + base;
        if (startsAt[end] < 0 || candidate > bestScore[end]) {
          if (this.unkId === null)
            throw new TokenizerConfigError("Unigram: the text contains unknown chars and the model has no unk_id");
          bestScore[end] = candidate;
          startsAt[end] = start;
          bestId[end] = this.unkId;
        }
      }
      start += mblen;
    }
    // Walk back; consecutive unknown pieces are fused into one.
    const pieces: number[] = [];
    let fusedEnd = -1;
    for (let end = size; end > 0; ) {
      const start = startsAt[end];
      if (bestId[end] === this.unkId) {
        if (fusedEnd < 0) fusedEnd = end;
      } else {
        if (fusedEnd >= 0) {
          pieces.push(end, fusedEnd);
          fusedEnd = -1;
        }
        pieces.push(start, end);
      }
      end = start;
    }
    if (fusedEnd >= 0) pieces.push(0, fusedEnd);
    const out: ModelOutput = { ids: [], tokens: [], starts: [], ends: [] };
    for (let k = pieces.length - 2; k >= 0; k -= 2) {
      const start = pieces[k];
      const end = pieces[k + 1];
      const text = s.slice(start, end);
      const id = this.idOf(text);
      if (id !== undefined) {
        out.ids.push(id);
        out.tokens.push(text);
        out.starts.push(start);
        out.ends.push(end);
        continue;
      }
      if (this.byteFallback) {
        const bytes = byteTokens(text);
        const ids = bytes.map((b) => this.idOf(b));
        if (ids.every((x) => x !== undefined)) {
          for (let b = 0; b < bytes.length; b++) {
            out.ids.push(ids[b]!);
            out.tokens.push(bytes[b]);
            out.starts.push(start);
            out.ends.push(end);
          }
          continue;
        }
      }
      if (this.unkId === null) throw new TokenizerConfigError("Unigram: missing unk_id");
      out.ids.push(this.unkId);
      out.tokens.push(text);
      out.starts.push(start);
      out.ends.push(end);
    }
    return out;
  }

  tokenToId(token: string): number | undefined {
    return this.idOf(token);
  }
  idToToken(id: number): string | undefined {
    return this.tokens[id];
  }
  vocabSize(): number {
    return this.tokens.length;
  }
}
