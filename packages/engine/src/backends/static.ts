/**
 * Model2Vec static embeddings: a sentence is the mean of its tokens' embedding rows, optionally
 * through a vocabulary-quantisation `mapping` (token id → row) and scaled by per-token
 * `weights`, then L2-normalised when config.json says `normalize: true`.
 *
 * Token handling follows the Python `model2vec` package, whose outputs are the reference:
 * - no special tokens are added ([CLS]/[SEP] would shift every mean);
 * - the unk token named by `model.unk_token` is dropped (Unigram declares only `unk_id`, which
 *   model2vec ignores, so Unigram unks stay);
 * - with a max length (default 512 tokens) the text is first cut to maxLength × the median
 *   vocabulary token length in code points, for speed, then the ids are cut to maxLength;
 * - no tokens left (empty input) gives a zero vector, which normalisation leaves at zero.
 * Sums run in float64 as numpy does for the f64 `weights`; the result is a Float32Array.
 */
import { Tokenizer } from "@edgeformers/tokenizers";
import type { Dtype, TensorArray } from "../dtypes.js";
import { f16BitsToNumber } from "../dtypes.js";
import { ModelFolderError } from "../errors.js";
import { loadModelFolder, type ModelFolder } from "../folder.js";
import type { TensorStore } from "../safetensors.js";
import type { ModelSource } from "../sources/source.js";
import { codePointLength, integerMedian, sliceCodePoints, unkToken, vocabularyTokens } from "../vocabulary.js";

export interface StaticEmbedOptions {
  /** Maximum number of tokens per text; null for no limit. Default 512, as model2vec. */
  maxLength?: number | null;
}

export interface StaticModelOptions {
  /** Overrides config.json's `normalize`. */
  normalize?: boolean;
}

/** Embedding dtypes read in place (no f32 copy of the table is made). */
const EMBEDDING_DTYPES: readonly Dtype[] = ["F32", "F16", "BF16", "F64", "I8", "U8"];
const WEIGHT_DTYPES: readonly Dtype[] = ["F64", "F32", "F16", "BF16"];
const MAPPING_DTYPES: readonly Dtype[] = ["I32", "I64"];
const DEFAULT_MAX_LENGTH = 512;

type Getter = (index: number) => number;

/** Reads element i of a tensor as a number, whatever its dtype, without converting the whole tensor. */
function getterFor(dtype: Dtype, data: TensorArray): Getter {
  switch (dtype) {
    case "F16": {
      const bits = data as Uint16Array;
      return (i) => f16BitsToNumber(bits[i]);
    }
    case "BF16": {
      const bits = data as Uint16Array;
      const word = new Uint32Array(1);
      const asFloat = new Float32Array(word.buffer);
      return (i) => {
        word[0] = bits[i] << 16;
        return asFloat[0];
      };
    }
    case "I64": {
      const big = data as BigInt64Array;
      return (i) => Number(big[i]);
    }
    default: {
      const plain = data as Float32Array | Float64Array | Int8Array | Uint8Array | Int32Array;
      return (i) => plain[i];
    }
  }
}

export class StaticEmbeddingModel {
  /** Embedding dimension. */
  readonly dim: number;
  readonly normalize: boolean;
  readonly tokenizer: Tokenizer;
  /** Median vocabulary token length in code points, for the pre-tokenization text cut. */
  readonly medianTokenLength: number;
  readonly unkTokenId: number | null;
  private readonly rows: number;
  private readonly embedding: Getter;
  private readonly mapping: Getter | null;
  private readonly weights: Getter | null;
  private readonly idLimit: number;

  private constructor(folder: ModelFolder, options: StaticModelOptions) {
    if (folder.architecture.kind !== "static") {
      throw new ModelFolderError(
        `model_type "${folder.architecture.modelType}" is not a static (model2vec) model`,
        "config.json",
      );
    }
    const store = folder.weights;
    const file = folder.weightFiles[0] ?? "model.safetensors";
    if (store === null) throw new ModelFolderError("static models need safetensors weights", file);
    const normalize = options.normalize ?? folder.config.normalize ?? false; // model2vec's default
    if (typeof normalize !== "boolean")
      throw new ModelFolderError(`"normalize" must be a boolean, got ${JSON.stringify(normalize)}`, "config.json");
    this.normalize = normalize;

    // Native model2vec names its table "embeddings"; the sentence-transformers export "embedding.weight".
    const name = store.has("embeddings") ? "embeddings" : store.has("embedding.weight") ? "embedding.weight" : null;
    if (name === null)
      throw new ModelFolderError(`no "embeddings" tensor (tensors: ${store.names.join(", ") || "none"})`, file);
    const info = checkTensor(store, name, EMBEDDING_DTYPES, 2, file);
    [this.rows, this.dim] = info.shape as [number, number];
    if (this.dim === 0) throw new ModelFolderError(`tensor "${name}" has dimension 0`, file);
    this.embedding = getterFor(info.dtype, store.view(name));

    try {
      this.tokenizer = Tokenizer.fromJSON(folder.tokenizerJson);
    } catch (e) {
      throw new ModelFolderError(`could not be loaded: ${(e as Error).message}`, "tokenizer.json", { cause: e });
    }
    const vocab = vocabularyTokens(folder.tokenizerJson);
    this.medianTokenLength = integerMedian([...vocab.keys()].map(codePointLength));
    const unk = unkToken(folder.tokenizerJson);
    this.unkTokenId = unk === null ? null : (vocab.get(unk) ?? null);
    if (unk !== null && this.unkTokenId === null)
      throw new ModelFolderError(`unk_token "${unk}" is not in the vocabulary`, "tokenizer.json");
    let vocabSize = 0; // highest token id + 1 (a loop: spreading 250k ids into Math.max overflows the stack)
    for (const id of vocab.values()) if (id + 1 > vocabSize) vocabSize = id + 1;

    this.mapping = null;
    this.idLimit = this.rows;
    if (store.has("mapping")) {
      const m = checkTensor(store, "mapping", MAPPING_DTYPES, 1, file);
      const mapping = getterFor(m.dtype, store.view("mapping"));
      // Checked once here so that no token id can ever read past the embedding table.
      for (let i = 0; i < m.shape[0]; i++) {
        const row = mapping(i);
        if (!(row >= 0 && row < this.rows)) {
          throw new ModelFolderError(
            `tensor "mapping": entry ${i} is ${row}, outside the ${this.rows} embedding rows`,
            file,
          );
        }
      }
      this.mapping = mapping;
      this.idLimit = m.shape[0];
    }
    this.weights = null;
    if (store.has("weights")) {
      const w = checkTensor(store, "weights", WEIGHT_DTYPES, 1, file);
      if (w.shape[0] < this.idLimit) {
        throw new ModelFolderError(
          `tensor "weights" has ${w.shape[0]} entries but token ids go up to ${this.idLimit - 1}`,
          file,
        );
      }
      this.weights = getterFor(w.dtype, store.view("weights"));
    }
    if (this.idLimit < vocabSize) {
      const what = this.mapping
        ? `tensor "mapping" has ${this.idLimit} entries`
        : `tensor "${name}" has ${this.rows} rows`;
      throw new ModelFolderError(`${what} but the tokenizer has ${vocabSize} tokens`, file);
    }
  }

  /** Builds the model from a loaded folder (config.json model_type "model2vec"). */
  static fromFolder(folder: ModelFolder, options: StaticModelOptions = {}): StaticEmbeddingModel {
    return new StaticEmbeddingModel(folder, options);
  }

  /** Loads the folder from a source and builds the model. */
  static async load(source: ModelSource, options: StaticModelOptions = {}): Promise<StaticEmbeddingModel> {
    return new StaticEmbeddingModel(await loadModelFolder(source), options);
  }

  /** The token ids a text is embedded from: no special tokens, unk removed, cut to maxLength. */
  tokenize(text: string, options: StaticEmbedOptions = {}): number[] {
    if (typeof text !== "string")
      throw new TypeError(`text must be a string, got ${text === null ? "null" : typeof text}`);
    const maxLength = readMaxLength(options);
    const input = maxLength === null ? text : sliceCodePoints(text, maxLength * this.medianTokenLength);
    let ids = Array.from(this.tokenizer.encode(input, undefined, { addSpecialTokens: false }).ids);
    if (this.unkTokenId !== null) ids = ids.filter((id) => id !== this.unkTokenId);
    return maxLength === null ? ids : ids.slice(0, maxLength);
  }

  /** Mean (then optionally normalised) embedding of token ids. */
  poolIds(ids: ArrayLike<number>): Float32Array {
    const dim = this.dim;
    const sum = new Float64Array(dim);
    for (let t = 0; t < ids.length; t++) {
      const id = ids[t];
      if (!Number.isInteger(id) || id < 0 || id >= this.idLimit)
        throw new RangeError(`token id ${id} at position ${t} is outside 0..${this.idLimit - 1}`);
      const row = this.mapping ? this.mapping(id) : id;
      const scale = this.weights ? this.weights(id) : 1;
      const base = row * dim;
      for (let j = 0; j < dim; j++) sum[j] += this.embedding(base + j) * scale;
    }
    const out = new Float32Array(dim);
    if (ids.length === 0) return out;
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      sum[j] /= ids.length;
      norm += sum[j] * sum[j];
    }
    // As model2vec: divide by (norm + 1e-32), which keeps an all-zero mean at zero.
    const divisor = this.normalize ? Math.sqrt(norm) + 1e-32 : 1;
    for (let j = 0; j < dim; j++) out[j] = sum[j] / divisor;
    return out;
  }

  /** Embedding of one text. */
  embed(text: string, options: StaticEmbedOptions = {}): Float32Array {
    return this.poolIds(this.tokenize(text, options));
  }

  /** Embeddings of several texts, in order. */
  embedBatch(texts: readonly string[], options: StaticEmbedOptions = {}): Float32Array[] {
    if (!Array.isArray(texts)) throw new TypeError("texts must be an array of strings");
    return texts.map((t, i) => {
      if (typeof t !== "string")
        throw new TypeError(`texts[${i}] must be a string, got ${t === null ? "null" : typeof t}`);
      return this.embed(t, options);
    });
  }
}

function readMaxLength(options: StaticEmbedOptions): number | null {
  const value = options.maxLength === undefined ? DEFAULT_MAX_LENGTH : options.maxLength;
  if (value !== null && (!Number.isInteger(value) || value < 1)) {
    throw new RangeError(`maxLength must be a positive integer or null, got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkTensor(store: TensorStore, name: string, dtypes: readonly Dtype[], rank: number, file: string) {
  const info = store.info(name);
  if (!dtypes.includes(info.dtype)) {
    throw new ModelFolderError(`tensor "${name}" has dtype ${info.dtype}; supported: ${dtypes.join(", ")}`, file);
  }
  if (info.shape.length !== rank)
    throw new ModelFolderError(`tensor "${name}" must have rank ${rank}, has shape [${info.shape}]`, file);
  return info;
}
