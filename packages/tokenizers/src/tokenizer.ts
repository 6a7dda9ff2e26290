import { AddedVocabulary } from "./added-vocabulary.js";
import {
  asObject,
  configError,
  type Decoder,
  type Model,
  type ModelOutput,
  type Normalizer,
  type PostProcessor,
  type PreTokenizer,
  TokenizerConfigError,
} from "./components.js";
import { buildDecoder } from "./decoders/index.js";
import { cleanup } from "./decoders/text.js";
import { RawEncoding } from "./encoding.js";
import { buildModel } from "./models/index.js";
import type { NormalizedString } from "./normalized-string.js";
import { buildNormalizer } from "./normalizers/index.js";
import { type DecodeOptions, type EncodeOptions, resolveDecodeOptions, resolveEncodeOptions } from "./options.js";
import { type PaddingParams, padEncodings } from "./padding.js";
import { buildPostProcessor } from "./post-processors/index.js";
import { buildPreTokenizer } from "./pre-tokenizers/index.js";
import { codePointToUtf16, type Encoding, toPublic } from "./public-encoding.js";
import { type TruncationParams, truncateEncodings } from "./truncation.js";
import { toWellFormed } from "./unicode.js";

export type EncodeInput = string | [string, string];

/** Special tokens named in tokenizer_config.json (strings or `{content}` objects). */
export interface SpecialTokens {
  bos_token?: string;
  eos_token?: string;
  unk_token?: string;
  sep_token?: string;
  pad_token?: string;
  cls_token?: string;
  mask_token?: string;
  additional_special_tokens?: string[];
}

const SPECIAL_KEYS = [
  "bos_token",
  "eos_token",
  "unk_token",
  "sep_token",
  "pad_token",
  "cls_token",
  "mask_token",
] as const;

function parseJson(input: unknown, what: string): Record<string, unknown> {
  if (typeof input === "string") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(input);
    } catch (e) {
      throw new TokenizerConfigError(`${what} is not valid JSON: ${(e as Error).message}`);
    }
    return asObject(parsed, what);
  }
  if (input !== null && typeof input === "object" && !Array.isArray(input)) return input as Record<string, unknown>;
  throw new TypeError(`${what} must be a JSON string or an object, got ${input === null ? "null" : typeof input}`);
}

function readTruncation(value: unknown): TruncationParams | null {
  if (value === undefined || value === null) return null;
  const t = asObject(value, "truncation");
  const strategies: Record<string, TruncationParams["strategy"]> = {
    LongestFirst: "longest_first",
    OnlyFirst: "only_first",
    OnlySecond: "only_second",
  };
  const strategy = strategies[String(t.strategy ?? "LongestFirst")];
  if (!strategy) configError("truncation.strategy", `${JSON.stringify(t.strategy)} is not supported`);
  if (typeof t.max_length !== "number") configError("truncation.max_length", "expected a number");
  const direction =
    t.direction === "Left" ? "left" : t.direction === undefined || t.direction === "Right" ? "right" : null;
  if (!direction) configError("truncation.direction", `${JSON.stringify(t.direction)} is not supported`);
  return { maxLength: t.max_length, strategy, stride: Number(t.stride ?? 0), direction };
}

function readPadding(value: unknown): PaddingParams | null {
  if (value === undefined || value === null) return null;
  const p = asObject(value, "padding");
  let strategy: PaddingParams["strategy"] = "longest";
  let maxLength = 0;
  if (p.strategy !== undefined && p.strategy !== "BatchLongest") {
    const fixed = asObject(p.strategy, "padding.strategy").Fixed;
    if (typeof fixed !== "number") configError("padding.strategy", `${JSON.stringify(p.strategy)} is not supported`);
    strategy = "max_length";
    maxLength = fixed;
  }
  return {
    strategy,
    maxLength,
    padToMultipleOf: typeof p.pad_to_multiple_of === "number" ? p.pad_to_multiple_of : null,
    direction: p.direction === "Left" ? "left" : "right",
    padId: Number(p.pad_id ?? 0),
    padTypeId: Number(p.pad_type_id ?? 0),
    padToken: String(p.pad_token ?? "[PAD]"),
  };
}

/** A Hugging Face tokenizer.json pipeline: normalizer → pre-tokenizer → model → post-processor. */
export class Tokenizer {
  private readonly normalizer: Normalizer | null;
  private readonly preTokenizer: PreTokenizer | null;
  private readonly model: Model;
  private readonly postProcessor: PostProcessor | null;
  private readonly decoder: Decoder | null;
  private readonly added: AddedVocabulary;
  private readonly truncation: TruncationParams | null;
  private readonly padding: PaddingParams | null;
  /** From tokenizer_config.json, when given. */
  readonly modelMaxLength: number | null;
  readonly cleanUpTokenizationSpaces: boolean;
  readonly specialTokens: SpecialTokens;

  private constructor(json: Record<string, unknown>, config: Record<string, unknown> | null) {
    const opt = <T>(key: string, build: (v: unknown, path: string) => T): T | null =>
      json[key] === undefined || json[key] === null ? null : build(json[key], key);
    this.normalizer = opt("normalizer", buildNormalizer);
    this.preTokenizer = opt("pre_tokenizer", buildPreTokenizer);
    if (json.model === undefined) configError("model", "missing");
    this.model = buildModel(json.model, "model");
    this.postProcessor = opt("post_processor", buildPostProcessor);
    this.decoder = opt("decoder", buildDecoder);
    this.added = new AddedVocabulary(json.added_tokens, this.model, this.normalizer);
    this.truncation = readTruncation(json.truncation);
    this.padding = readPadding(json.padding);

    const specials: SpecialTokens = {};
    let maxLen: number | null = null;
    let cleanupSpaces = false;
    if (config) {
      for (const key of SPECIAL_KEYS) {
        const v = config[key];
        const content =
          typeof v === "string" ? v : v && typeof v === "object" ? (v as { content?: unknown }).content : undefined;
        if (typeof content === "string") specials[key] = content;
      }
      if (Array.isArray(config.additional_special_tokens)) {
        specials.additional_special_tokens = config.additional_special_tokens
          .map((v) => (typeof v === "string" ? v : (v as { content?: string })?.content))
          .filter((v): v is string => typeof v === "string");
      }
      // Python's "infinite" sentinel (1e30) means no limit.
      if (typeof config.model_max_length === "number" && config.model_max_length < 1e15)
        maxLen = config.model_max_length;
      cleanupSpaces = config.clean_up_tokenization_spaces === true;
    }
    this.specialTokens = specials;
    this.modelMaxLength = maxLen;
    this.cleanUpTokenizationSpaces = cleanupSpaces;
  }

  /**
   * Loads a tokenizer.json (text or parsed object). `tokenizerConfig` is the optional
   * tokenizer_config.json (model_max_length, clean_up_tokenization_spaces, special tokens).
   */
  static fromJSON(json: unknown, tokenizerConfig?: unknown): Tokenizer {
    const parsed = parseJson(json, "tokenizer.json");
    const config =
      tokenizerConfig === undefined || tokenizerConfig === null
        ? null
        : parseJson(tokenizerConfig, "tokenizer_config.json");
    return new Tokenizer(parsed, config);
  }

  get vocabSize(): number {
    let n = this.model.vocabSize();
    for (const content of this.added.byContent.keys()) if (this.model.tokenToId(content) === undefined) n++;
    return n;
  }

  tokenToId(token: string): number | undefined {
    return this.added.byContent.get(token) ?? this.model.tokenToId(token);
  }

  idToToken(id: number): string | undefined {
    return this.added.idToToken(id) ?? this.model.idToToken(id);
  }

  /** The pad token used when options give none. */
  private defaultPad(): { padId: number; padTypeId: number; padToken: string } {
    if (this.padding)
      return { padId: this.padding.padId, padTypeId: this.padding.padTypeId, padToken: this.padding.padToken };
    const token = this.specialTokens.pad_token;
    if (token !== undefined) {
      const id = this.tokenToId(token);
      if (id !== undefined) return { padId: id, padTypeId: 0, padToken: token };
    }
    return { padId: 0, padTypeId: 0, padToken: "[PAD]" };
  }

  private resolve(options: unknown) {
    const o = resolveEncodeOptions(options, { modelMaxLength: this.modelMaxLength, pad: this.defaultPad() });
    return {
      addSpecialTokens: o.addSpecialTokens,
      truncation: o.truncation === undefined ? this.truncation : o.truncation,
      padding: o.padding === undefined ? this.padding : o.padding,
      offsets: o.offsets,
    };
  }

  encode(text: string, pair?: string | null, options?: EncodeOptions): Encoding {
    checkText(text, "text");
    if (pair !== undefined && pair !== null) checkText(pair, "pair");
    const o = this.resolve(options);
    const a = toWellFormed(text);
    const b = pair === undefined || pair === null ? null : toWellFormed(pair);
    const raw = this.encodeRaw(a, b, o.addSpecialTokens, o.truncation);
    if (o.padding) padEncodings([raw], o.padding);
    return toPublic(raw, o.offsets === "utf16" ? [codePointToUtf16(a), b === null ? null : codePointToUtf16(b)] : null);
  }

  encodeBatch(inputs: EncodeInput[], options?: EncodeOptions): Encoding[] {
    if (!Array.isArray(inputs))
      throw new TypeError(`inputs must be an array of strings or [string, string] pairs, got ${typeof inputs}`);
    const o = this.resolve(options);
    const texts: [string, string | null][] = inputs.map((input, i) => {
      if (typeof input === "string") return [toWellFormed(input), null];
      if (Array.isArray(input) && input.length === 2) {
        checkText(input[0], `inputs[${i}][0]`);
        checkText(input[1], `inputs[${i}][1]`);
        return [toWellFormed(input[0]), toWellFormed(input[1])];
      }
      throw new TypeError(`inputs[${i}] must be a string or a [string, string] pair, got ${describeValue(input)}`);
    });
    const raws = texts.map(([a, b]) => {
      const raw = this.encodeRaw(a, b, o.addSpecialTokens, o.truncation);
      // Rust pads each encoding in `encode`, then the whole batch.
      if (o.padding) padEncodings([raw], o.padding);
      return raw;
    });
    if (o.padding) padEncodings(raws, o.padding);
    return raws.map((raw, i) => {
      const [a, b] = texts[i];
      return toPublic(
        raw,
        o.offsets === "utf16" ? [codePointToUtf16(a), b === null ? null : codePointToUtf16(b)] : null,
      );
    });
  }

  decode(ids: ArrayLike<number>, options?: DecodeOptions): string {
    if (ids === null || typeof ids !== "object" || typeof ids.length !== "number") {
      throw new TypeError(`ids must be an array of token ids, got ${describeValue(ids)}`);
    }
    const o = resolveDecodeOptions(options);
    const tokens: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (typeof id !== "number") throw new TypeError(`ids[${i}] must be a number, got ${describeValue(id)}`);
      const token = this.idToToken(id);
      if (token === undefined) continue;
      if (o.skipSpecialTokens && this.added.isSpecial(token)) continue;
      tokens.push(token);
    }
    let text = this.decoder ? this.decoder.decodeChain(tokens).join("") : tokens.join(" ");
    if (o.cleanUpTokenizationSpaces ?? this.cleanUpTokenizationSpaces) text = cleanUpTokenization(text);
    return text;
  }

  /** Rust `encode` + `post_process` without padding (code point offsets). */
  private encodeRaw(
    a: string,
    b: string | null,
    addSpecialTokens: boolean,
    truncation: TruncationParams | null,
  ): RawEncoding {
    const encoding = this.encodeSequence(a, 0);
    const pair = b === null ? null : this.encodeSequence(b, 1);
    if (truncation) {
      const nAdded = this.postProcessor ? this.postProcessor.addedTokens(pair !== null) : 0;
      if (addSpecialTokens && nAdded > 0) {
        // Rust subtracts in usize; a max_length below the added count wraps around (no truncation).
        if (truncation.maxLength >= nAdded) {
          truncateEncodings(encoding, pair, { ...truncation, maxLength: truncation.maxLength - nAdded });
        }
      } else truncateEncodings(encoding, pair, truncation);
    }
    const list = pair ? [encoding, pair] : [encoding];
    if (this.postProcessor) {
      // The fast path sets sequence ranges and type ids itself (and only reads the parts).
      const merged = this.postProcessor.processMerged?.(list, addSpecialTokens);
      if (merged) return merged;
      // Rust's `PostProcessor::process` tags every part (overflowing too) and resets type ids.
      list.forEach((e, i) => {
        e.setSequenceId(i);
        for (const o of e.overflowing) o.setSequenceId(i);
        e.typeIds = new Array<number>(e.length).fill(i);
      });
      return RawEncoding.merge(this.postProcessor.processEncodings(list, addSpecialTokens), false);
    }
    if (list.length === 1) return encoding;
    for (let i = 0; i < list.length; i++) list[i].setSequenceId(i);
    return RawEncoding.merge(list, false);
  }

  /** One sequence through added tokens, normalizer, pre-tokenizer and model. */
  private encodeSequence(text: string, typeId: number): RawEncoding {
    const pieces = this.added.extractAndNormalize(text, this.normalizer);
    const enc = new RawEncoding();
    const toCp = utf16ToCodePoint(text);
    // The model appends straight into the encoding; offsets are then rewritten in place
    // from piece-relative units to original offsets.
    const out: ModelOutput = { ids: enc.ids, tokens: enc.tokens, starts: enc.starts, ends: enc.ends };
    const { starts, ends, words } = enc;
    let bytes: RustByteOffsets | null = null;
    let word = 0;
    /** Rewrites offsets of tokens [from, to) produced for `ns` (starting at unit `shift` of it). */
    const place = (ns: NormalizedString, shift: number, from: number, to: number) => {
      if (out.byteOffsets) {
        bytes ??= new RustByteOffsets(text);
        const sub = shift === 0 ? ns : ns.slice(shift, ns.length);
        for (let k = from; k < to; k++) [starts[k], ends[k]] = bytes.convert(sub, starts[k], ends[k], toCp);
      } else {
        for (let k = from; k < to; k++) {
          const a = starts[k];
          const b = ends[k];
          let s: number;
          let e: number;
          if (a < b) {
            s = ns.startOf(shift + a);
            e = ns.endOf(shift + b - 1);
          } else {
            const origin = shift === 0 ? ns.originalStart : ns.startOf(shift);
            s = origin + a;
            e = origin + b;
          }
          starts[k] = toCp ? toCp[s] : s;
          ends[k] = toCp ? toCp[e] : e;
        }
      }
      for (let k = from; k < to; k++) words.push(word);
      word++;
    };
    /**
     * `place` for an untouched piece of a text without astral chars: units are code points
     * and normalized unit i is input unit `base + i`.
     */
    const placeDirect = (ns: NormalizedString, shift: number, from: number, to: number) => {
      if (!ns.isIdentity) {
        place(ns, shift, from, to);
        return;
      }
      const origin = ns.base + shift;
      for (let k = from; k < to; k++) {
        starts[k] += origin;
        ends[k] += origin;
        words.push(word);
      }
      word++;
    };
    /**
     * `place` for a word rewritten by `rewriteRange`: each unit of it takes the alignment
     * of its source char (the first unit of that char, as `rewrite` does). False, with
     * nothing changed, for an empty token (then the caller uses `rewrite` and `place`).
     */
    const placeMapped = (ns: NormalizedString, shift: number, src: Int32Array, from: number, to: number) => {
      for (let k = from; k < to; k++) if (starts[k] >= ends[k]) return false;
      for (let k = from; k < to; k++) {
        const s = ns.startOf(shift + src[starts[k]]);
        const e = ns.endOf(shift + src[ends[k] - 1]);
        starts[k] = toCp ? toCp[s] : s;
        ends[k] = toCp ? toCp[e] : e;
        words.push(word);
      }
      word++;
      return true;
    };
    const ranges: number[] = [];
    const texts: (string | null)[] = [];
    const parts: NormalizedString[] = [];
    const pre = this.preTokenizer;
    for (let p = 0; p < pieces.length; p++) {
      const piece = pieces[p];
      const ns = piece.ns;
      ranges.length = 0;
      texts.length = 0;
      if (piece.addedId >= 0) {
        const from = enc.ids.length;
        enc.ids.push(piece.addedId);
        enc.tokens.push(ns.normalized);
        starts.push(0);
        ends.push(ns.length);
        out.byteOffsets = false;
        place(ns, 0, from, from + 1);
      } else if (pre?.splitRanges) {
        // The pre-tokenizer only cuts: words are ranges of the piece, no object per word.
        const normText = ns.normalized;
        pre.splitRanges(normText, ranges);
        const model = this.model;
        const direct = toCp === null;
        for (let r = 0; r < ranges.length; r += 2) {
          const from = enc.ids.length;
          out.byteOffsets = false;
          if (model.tokenizeRange) model.tokenizeRange(normText, ranges[r], ranges[r + 1], out);
          else model.tokenize(normText.slice(ranges[r], ranges[r + 1]), out);
          if (out.byteOffsets) {
            place(ns.slice(ranges[r], ranges[r + 1]), 0, from, enc.ids.length);
          } else if (direct) placeDirect(ns, ranges[r], from, enc.ids.length);
          else place(ns, ranges[r], from, enc.ids.length);
        }
      } else if (pre?.splitWords?.(ns, ranges, texts)) {
        const normText = ns.normalized;
        const direct = toCp === null;
        for (let r = 0, t = 0; r < ranges.length; r += 2, t++) {
          const from = enc.ids.length;
          out.byteOffsets = false;
          const wordText = texts[t];
          if (wordText !== null) {
            this.model.tokenize(wordText, out);
            if (out.byteOffsets) {
              // Rust's byte offsets refer to the rewritten word: build it for this rare case.
              const sub = ns.slice(ranges[r], ranges[r + 1]);
              pre.rewrite!(sub);
              place(sub, 0, from, enc.ids.length);
            } else if (direct) placeDirect(ns, ranges[r], from, enc.ids.length);
            else place(ns, ranges[r], from, enc.ids.length);
          } else if (pre.rewriteRange) {
            // The rewritten word as text plus the source unit of each of its units.
            this.model.tokenize(pre.rewriteRange(normText, ranges[r], ranges[r + 1]), out);
            if (out.byteOffsets || !placeMapped(ns, ranges[r], pre.sourceUnits!, from, enc.ids.length)) {
              const sub = ns.slice(ranges[r], ranges[r + 1]);
              pre.rewrite!(sub);
              place(sub, 0, from, enc.ids.length);
            }
          } else {
            const sub = ns.slice(ranges[r], ranges[r + 1]);
            pre.rewrite!(sub);
            this.model.tokenize(sub.normalized, out);
            place(sub, 0, from, enc.ids.length);
          }
        }
      } else {
        parts.length = 0;
        if (pre) pre.split(ns, parts);
        else parts.push(ns);
        for (const part of parts) {
          const from = enc.ids.length;
          out.byteOffsets = false;
          this.model.tokenize(part.normalized, out);
          place(part, 0, from, enc.ids.length);
        }
      }
    }
    // Constant columns are filled once rather than pushed token by token.
    const total = enc.ids.length;
    enc.typeIds = new Array<number>(total).fill(typeId);
    enc.specialTokensMask = new Array<number>(total).fill(0);
    enc.attentionMask = new Array<number>(total).fill(1);
    enc.sources = new Array<number>(total).fill(typeId);
    return enc;
  }
}

/**
 * Rust's handling of model offsets given in UTF-8 bytes of a piece: in range, they map
 * through the alignments; out of range, Rust keeps the raw relative numbers and reads them
 * as byte offsets of the whole input (a quirk we reproduce for exactness).
 */
class RustByteOffsets {
  /** UTF-8 byte offset of each UTF-16 unit offset of the input. */
  private readonly byteOfUnit: Int32Array;
  /** Char index of each byte of the input. */
  private readonly charOfByte: Int32Array;

  constructor(text: string) {
    this.byteOfUnit = new Int32Array(text.length + 1);
    const chars: number[] = [];
    let b = 0;
    let ci = 0;
    for (let i = 0; i < text.length; ) {
      const cp = text.codePointAt(i)!;
      const units = cp >= 0x10000 ? 2 : 1;
      const len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      this.byteOfUnit[i] = b;
      if (units === 2) this.byteOfUnit[i + 1] = b;
      for (let k = 0; k < len; k++) chars.push(ci);
      b += len;
      ci++;
      i += units;
    }
    this.byteOfUnit[text.length] = b;
    this.charOfByte = Int32Array.from(chars);
  }

  /** Rust `BytesToCharOffsetConverter::convert`, falling back to the raw offsets. */
  private toChars(a: number, b: number): [number, number] {
    const map = this.charOfByte;
    if (a < 0 || a >= map.length) return [a, b];
    const start = map[a];
    if (b >= 0 && b < map.length) return [start, map[b]];
    const last = b - 1 >= 0 && b - 1 < map.length ? map[b - 1] : start + 1;
    return [start, last + 1];
  }

  convert(ns: NormalizedString, bs: number, be: number, toCp: Int32Array | null): [number, number] {
    const p = ns.normalized;
    const unitOfByte: number[] = [];
    for (let i = 0; i < p.length; ) {
      const cp = p.codePointAt(i)!;
      const len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      for (let k = 0; k < len; k++) unitOfByte.push(i);
      i += cp >= 0x10000 ? 2 : 1;
    }
    if (bs === be) {
      const base = this.byteOfUnit[ns.originalStart];
      return this.toChars(base + bs, base + be);
    }
    if (bs > be || be > unitOfByte.length) return this.toChars(bs, be);
    const s = ns.startOf(unitOfByte[bs]);
    const e = ns.endOf(unitOfByte[be - 1]);
    return toCp ? [toCp[s], toCp[e]] : [s, e];
  }
}

/** Maps UTF-16 offsets of a text to code point offsets; null when they are equal. */
function utf16ToCodePoint(text: string): Int32Array | null {
  let astral = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      astral = true;
      break;
    }
  }
  if (!astral) return null;
  const map = new Int32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    map[i] = cp;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      map[i + 1] = cp;
      i++;
    }
    cp++;
  }
  map[text.length] = cp;
  return map;
}

function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v;
}

function checkText(value: unknown, name: string): void {
  if (typeof value !== "string") throw new TypeError(`${name} must be a string, got ${describeValue(value)}`);
}

/** transformers' `clean_up_tokenization` (applied to the decoded text). */
function cleanUpTokenization(text: string): string {
  return text
    .replaceAll(" .", ".")
    .replaceAll(" ?", "?")
    .replaceAll(" !", "!")
    .replaceAll(" ,", ",")
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}

void cleanup;
