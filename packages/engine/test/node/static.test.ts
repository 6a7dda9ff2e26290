import { describe, expect, it } from "vitest";
import {
  type BundledFile,
  BundleSource,
  type Dtype,
  ModelFolderError,
  StaticEmbeddingModel,
  serializeSafetensors,
  type TensorToWrite,
} from "../../src/index.js";

/** A six-token WordPiece vocabulary; [CLS]/[SEP] are added by the post-processor unless disabled. */
const TOKENIZER = {
  version: "1.0",
  added_tokens: [
    { id: 0, content: "[UNK]", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    { id: 3, content: "[CLS]", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
    { id: 4, content: "[SEP]", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true },
  ],
  normalizer: {
    type: "BertNormalizer",
    clean_text: true,
    handle_chinese_chars: true,
    strip_accents: null,
    lowercase: true,
  },
  pre_tokenizer: { type: "BertPreTokenizer" },
  post_processor: { type: "BertProcessing", sep: ["[SEP]", 4], cls: ["[CLS]", 3] },
  model: {
    type: "WordPiece",
    unk_token: "[UNK]",
    continuing_subword_prefix: "##",
    max_input_chars_per_word: 100,
    vocab: { "[UNK]": 0, hello: 1, world: 2, "[CLS]": 3, "[SEP]": 4, a: 5 },
  },
};

// Rows: [UNK] and the specials are huge, so including any of them would be obvious.
const ROWS = [
  [100, 100],
  [1, 0],
  [0, 3],
  [50, -50],
  [-50, 50],
  [7, 7],
];

function model(
  opts: {
    normalize?: unknown;
    tensors?: Record<string, TensorToWrite>;
    config?: object;
    files?: Record<string, BundledFile>;
  } = {},
) {
  const tensors = opts.tensors ?? { embeddings: { dtype: "F32", shape: [6, 2], data: new Float32Array(ROWS.flat()) } };
  return new BundleSource({
    "config.json": JSON.stringify(
      opts.config ?? { model_type: "model2vec", architectures: ["StaticModel"], normalize: opts.normalize },
    ),
    "tokenizer.json": JSON.stringify(TOKENIZER),
    "model.safetensors": serializeSafetensors(tensors),
    ...opts.files,
  });
}

const close = (actual: Float32Array, expected: number[]) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i], 6);
};

describe("StaticEmbeddingModel on a hand-built model", () => {
  it("means the token rows without special tokens, then normalises", async () => {
    const plain = await StaticEmbeddingModel.load(model({ normalize: false }));
    expect(plain.tokenize("Hello world")).toEqual([1, 2]);
    close(plain.embed("Hello world"), [0.5, 1.5]);
    const unit = await StaticEmbeddingModel.load(model({ normalize: true }));
    // [0.5, 1.5] / sqrt(0.25 + 2.25)
    close(unit.embed("Hello world"), [0.5 / Math.sqrt(2.5), 1.5 / Math.sqrt(2.5)]);
    expect(unit.dim).toBe(2);
  });

  it("defaults to no normalisation when config.json is silent (as model2vec), and honours an override", async () => {
    close((await StaticEmbeddingModel.load(model())).embed("world"), [0, 3]);
    close((await StaticEmbeddingModel.load(model(), { normalize: true })).embed("world"), [0, 1]);
  });

  it("drops unk tokens, and gives a zero vector when nothing is left", async () => {
    const m = await StaticEmbeddingModel.load(model({ normalize: true }));
    expect(m.tokenize("hello zzz")).toEqual([1]);
    close(m.embed("hello zzz"), [1, 0]);
    close(m.embed(""), [0, 0]);
    close(m.embed("zzz qqq"), [0, 0]);
    expect(m.embedBatch(["world", "", "hello"]).map((v) => Array.from(v))).toEqual([
      [0, 1],
      [0, 0],
      [1, 0],
    ]);
  });

  it("cuts to maxLength tokens (default 512) and cuts the text at maxLength × median token length first", async () => {
    const m = await StaticEmbeddingModel.load(model({ normalize: false }));
    // Token lengths 5,5,5,5,5,1: the median is 5, so the text is first cut to 5 × maxLength code points.
    expect(m.medianTokenLength).toBe(5);
    expect(m.tokenize("world hello", { maxLength: 1 })).toEqual([2]); // "world"
    expect(m.tokenize("world hello", { maxLength: 2 })).toEqual([2]); // "world hell": the [UNK] for "hell" is dropped
    expect(m.tokenize("a a a a a a", { maxLength: 2 })).toEqual([5, 5]); // "a a a a a" → 5 ids, cut to 2
    close(m.embed("hello a a a a a", { maxLength: 2 }), [4, 3.5]); // mean of hello [1,0] and a [7,7]
    // Default 512: 2560 code points of "hello hello …" hold 426 whole words and a dropped "hell".
    expect(m.tokenize(Array(600).fill("hello").join(" ")).length).toBe(426);
    expect(m.tokenize(Array(600).fill("a").join(" ")).length).toBe(512);
    expect(m.tokenize(Array(600).fill("hello").join(" "), { maxLength: null }).length).toBe(600);
    // A surrogate pair counts as one code point and is never split.
    expect(m.tokenize("😀😀😀😀hello", { maxLength: 1 })).toEqual([]);
    expect(() => m.tokenize("x", { maxLength: 0 })).toThrow(RangeError);
  });

  it("maps ids through `mapping` and scales by f64 `weights`", async () => {
    const m = await StaticEmbeddingModel.load(
      model({
        normalize: false,
        tensors: {
          embeddings: { dtype: "F32", shape: [2, 2], data: new Float32Array([2, 0, 0, 4]) },
          mapping: { dtype: "I32", shape: [6], data: new Int32Array([0, 1, 0, 1, 1, 0]) },
          weights: { dtype: "F64", shape: [6], data: new Float64Array([9, 0.5, 0.25, 9, 9, 9]) },
        },
      }),
    );
    // hello → row 1 [0,4] × 0.5 = [0,2]; world → row 0 [2,0] × 0.25 = [0.5,0]; mean [0.25, 1]
    close(m.embed("hello world"), [0.25, 1]);
  });

  for (const [dtype, data] of [
    [
      "F16",
      new Uint16Array([0x5640, 0x5640, 0x3c00, 0x0000, 0x0000, 0x4200, 0x5240, 0xd240, 0xd240, 0x5240, 0x4700, 0x4700]),
    ],
    [
      "BF16",
      new Uint16Array([0x42c8, 0x42c8, 0x3f80, 0x0000, 0x0000, 0x4040, 0x4248, 0xc248, 0xc248, 0x4248, 0x40e0, 0x40e0]),
    ],
    ["F64", new Float64Array(ROWS.flat())],
    ["I8", new Int8Array(ROWS.flat())],
  ] as [Dtype, Uint16Array | Float64Array | Int8Array][]) {
    it(`reads ${dtype} embeddings in place`, async () => {
      const m = await StaticEmbeddingModel.load(
        model({ normalize: false, tensors: { embeddings: { dtype, shape: [6, 2], data } } }),
      );
      close(m.embed("hello world"), [0.5, 1.5]);
      close(m.embed("[CLS]"), [50, -50]); // special tokens in the text itself are kept, as model2vec does
    });
  }

  const bad: [string, Parameters<typeof model>[0], RegExp][] = [
    ["not a static model", { config: { model_type: "bert" } }, /config\.json: model_type "bert" is not a static/],
    ["non-boolean normalize", { normalize: "yes" }, /config\.json: "normalize" must be a boolean, got "yes"/],
    [
      "no embeddings tensor",
      { tensors: { emb: { dtype: "F32", shape: [1], data: new Float32Array(1) } } },
      /model\.safetensors: no "embeddings" tensor \(tensors: emb\)/,
    ],
    [
      "I64 embeddings",
      { tensors: { embeddings: { dtype: "I64", shape: [6, 2], data: new BigInt64Array(12) } } },
      /tensor "embeddings" has dtype I64; supported: F32, F16/,
    ],
    [
      "rank-1 embeddings",
      { tensors: { embeddings: { dtype: "F32", shape: [10], data: new Float32Array(10) } } },
      /tensor "embeddings" must have rank 2/,
    ],
    [
      "too few rows",
      { tensors: { embeddings: { dtype: "F32", shape: [5, 2], data: new Float32Array(10) } } },
      /tensor "embeddings" has 5 rows but the tokenizer has 6 tokens/,
    ],
    [
      "mapping out of range",
      {
        tensors: {
          embeddings: { dtype: "F32", shape: [2, 2], data: new Float32Array(4) },
          mapping: { dtype: "I32", shape: [6], data: new Int32Array([0, 1, 2, 0, 0, 0]) },
        },
      },
      /tensor "mapping": entry 2 is 2, outside the 2 embedding rows/,
    ],
    [
      "weights too short",
      {
        tensors: {
          embeddings: { dtype: "F32", shape: [6, 2], data: new Float32Array(12) },
          weights: { dtype: "F64", shape: [3], data: new Float64Array(3) },
        },
      },
      /tensor "weights" has 3 entries but token ids go up to 5/,
    ],
    [
      "broken tokenizer.json",
      { files: { "tokenizer.json": '{"model": {"type": "Nope"}}' } },
      /^tokenizer\.json: could not be loaded/,
    ],
  ];
  it.each(bad)("%s is a ModelFolderError naming the file", async (_, opts, message) => {
    const err = await StaticEmbeddingModel.load(model(opts)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelFolderError);
    expect((err as Error).message).toMatch(message);
  });

  it("rejects bad calls with TypeError / RangeError", async () => {
    const m = await StaticEmbeddingModel.load(model());
    expect(() => m.embed(5 as unknown as string)).toThrow(/text must be a string, got number/);
    expect(() => m.embedBatch("x" as unknown as string[])).toThrow(TypeError);
    expect(() => m.embedBatch(["a", null as unknown as string])).toThrow(/texts\[1\] must be a string, got null/);
    expect(() => m.poolIds([1, 7])).toThrow(/token id 7 at position 1 is outside 0\.\.5/);
    expect(() => m.poolIds([1.5])).toThrow(RangeError);
  });
});
