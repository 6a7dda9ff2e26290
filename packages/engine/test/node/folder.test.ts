import { describe, expect, it } from "vitest";
import {
  type BundledFile,
  BundleSource,
  loadModelFolder,
  ModelFolderError,
  type ModelSource,
  readEncoderConfig,
  resolveArchitecture,
  SafetensorsError,
  serializeSafetensors,
} from "../../src/index.js";

const BERT_CONFIG = {
  model_type: "bert",
  architectures: ["BertModel"],
  hidden_size: 8,
  num_hidden_layers: 1,
  num_attention_heads: 2,
  intermediate_size: 16,
  vocab_size: 10,
  max_position_embeddings: 32,
  type_vocab_size: 2,
  layer_norm_eps: 1e-12,
  hidden_act: "gelu",
};
const TOKENIZER = { version: "1.0", model: { type: "WordPiece", vocab: { "[UNK]": 0 }, unk_token: "[UNK]" } };
const weights = (names: string[], value = 1) =>
  serializeSafetensors(
    Object.fromEntries(names.map((n, i) => [n, { dtype: "F32", shape: [2], data: new Float32Array([value, i]) }])),
  );

function folder(overrides: Record<string, BundledFile | null> = {}): BundleSource {
  const files: Record<string, BundledFile | null> = {
    "config.json": JSON.stringify(BERT_CONFIG),
    "tokenizer.json": JSON.stringify(TOKENIZER),
    "model.safetensors": weights(["embeddings.word_embeddings.weight"]),
    ...overrides,
  };
  return new BundleSource(
    Object.fromEntries(Object.entries(files).filter((e): e is [string, BundledFile] => e[1] !== null)),
  );
}

async function failure(source: ModelSource): Promise<Error> {
  const result = await loadModelFolder(source).then(
    () => null,
    (e: Error) => e,
  );
  if (result === null) throw new Error("expected loadModelFolder to fail");
  return result;
}

/** Hides list() so the loader has to probe for ONNX files. */
function withoutList(source: BundleSource): ModelSource {
  return {
    description: source.description,
    get: (p) => source.get(p),
    getText: (p) => source.getText(p),
    exists: (p) => source.exists(p),
  };
}

describe("loadModelFolder", () => {
  it("reads a complete sentence-transformers BERT folder", async () => {
    const f = await loadModelFolder(
      folder({
        "tokenizer_config.json": '{"model_max_length": 512, "do_lower_case": true}',
        "special_tokens_map.json": '{"unk_token": "[UNK]"}',
        "modules.json": JSON.stringify([
          { idx: 0, name: "0", path: "", type: "sentence_transformers.models.Transformer" },
          { idx: 1, name: "1", path: "1_Pooling", type: "sentence_transformers.models.Pooling" },
          { idx: 2, name: "2", path: "2_Normalize", type: "sentence_transformers.models.Normalize" },
        ]),
        "1_Pooling/config.json":
          '{"word_embedding_dimension": 8, "pooling_mode_cls_token": false, "pooling_mode_mean_tokens": true}',
        "config_sentence_transformers.json": '{"prompts": {"query": "query: "}}',
        "onnx/model.onnx": new Uint8Array([8]),
        "onnx/model_quantized.onnx": new Uint8Array([8]),
        "onnx/other.bin": new Uint8Array([8]),
      }),
    );
    expect(f.architecture).toEqual({ kind: "encoder", modelType: "bert", head: "base", className: "BertModel" });
    expect(f.config.hidden_size).toBe(8);
    expect(f.tokenizerJson.model).toEqual(TOKENIZER.model);
    expect(f.tokenizerConfig?.model_max_length).toBe(512);
    expect(f.specialTokensMap).toEqual({ unk_token: "[UNK]" });
    expect(f.weightFiles).toEqual(["model.safetensors"]);
    expect(Array.from(f.weights!.view("embeddings.word_embeddings.weight", "F32"))).toEqual([1, 0]);
    expect(f.onnxFiles).toEqual(["onnx/model.onnx", "onnx/model_quantized.onnx"]);
    expect(f.sentenceTransformers?.pooling).toEqual({ mode: "mean", includePrompt: true, dimension: 8 });
    expect(f.sentenceTransformers?.normalize).toBe(true);
    expect(f.sentenceTransformers?.config).toEqual({ prompts: { query: "query: " } });
  });

  it("leaves optional files null", async () => {
    const f = await loadModelFolder(folder());
    expect([f.tokenizerConfig, f.specialTokensMap, f.sentenceTransformers]).toEqual([null, null, null]);
    expect(f.onnxFiles).toEqual([]);
  });

  it("reads sharded safetensors through the index", async () => {
    const f = await loadModelFolder(
      folder({
        "model.safetensors": null,
        "model.safetensors.index.json": JSON.stringify({
          metadata: { total_size: 16 },
          weight_map: { a: "model-00001-of-00002.safetensors", b: "model-00002-of-00002.safetensors" },
        }),
        "model-00001-of-00002.safetensors": weights(["a"], 5),
        "model-00002-of-00002.safetensors": weights(["b"], 7),
      }),
    );
    expect(f.weightFiles).toEqual(["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]);
    expect([...f.weights!.names]).toEqual(["a", "b"]);
    expect(Array.from(f.weights!.float32("a"))).toEqual([5, 0]);
    expect(Array.from(f.weights!.float32("b"))).toEqual([7, 0]);
    expect(f.weights!.info("b").shape).toEqual([2]);
    expect(() => f.weights!.view("c")).toThrow(/model\.safetensors\.index\.json: tensor "c": no such tensor/);
  });

  it("accepts an ONNX-only folder, finding ONNX files by listing or by probing", async () => {
    const files = { "model.safetensors": null, "onnx/model_fp16.onnx": new Uint8Array([1]) };
    const listFails: ModelSource = {
      ...withoutList(folder(files)),
      list: () => Promise.reject(new Error("no listing")),
    };
    for (const source of [folder(files), withoutList(folder(files)), listFails]) {
      const f = await loadModelFolder(source);
      expect(f.weights).toBeNull();
      expect(f.onnxFiles).toEqual(["onnx/model_fp16.onnx"]);
    }
  });

  const bad: [string, Record<string, BundledFile | null>, RegExp][] = [
    ["missing config.json", { "config.json": null }, /^config\.json: required file is missing from bundle:/],
    ["missing tokenizer.json", { "tokenizer.json": null }, /^tokenizer\.json: required file is missing/],
    ["malformed config.json", { "config.json": "{model_type: bert" }, /^config\.json: is not valid JSON/],
    ["config.json not an object", { "config.json": "[1]" }, /^config\.json: must contain a JSON object, got an array/],
    ["malformed tokenizer_config.json", { "tokenizer_config.json": "{" }, /^tokenizer_config\.json: is not valid JSON/],
    [
      "malformed special_tokens_map.json",
      { "special_tokens_map.json": "null" },
      /^special_tokens_map\.json: must contain a JSON object/,
    ],
    [
      "no weights at all",
      { "model.safetensors": null },
      /^model\.safetensors: required weights are missing .* expected model\.safetensors or model\.safetensors\.index\.json/,
    ],
    [
      "malformed index",
      { "model.safetensors": null, "model.safetensors.index.json": '{"weight_map": []}' },
      /^model\.safetensors\.index\.json: "weight_map" must be an object/,
    ],
    [
      "missing shard",
      { "model.safetensors": null, "model.safetensors.index.json": '{"weight_map": {"a": "s1.safetensors"}}' },
      /^s1\.safetensors: shard "s1\.safetensors" listed in model\.safetensors\.index\.json is missing/,
    ],
    [
      "shard without the mapped tensor",
      {
        "model.safetensors": null,
        "model.safetensors.index.json": '{"weight_map": {"zz": "s1.safetensors"}}',
        "s1.safetensors": weights(["a"]),
      },
      /^model\.safetensors\.index\.json: tensor "zz" is mapped to "s1\.safetensors", which does not contain it/,
    ],
    ["malformed modules.json", { "modules.json": "{}" }, /^modules\.json: must contain a JSON array/],
    [
      "unsupported module",
      { "modules.json": '[{"idx":0,"name":"0","path":"2_Dense","type":"sentence_transformers.models.Dense"}]' },
      /^modules\.json: module 0 has unsupported type "sentence_transformers\.models\.Dense" \(supported: .*Pooling/,
    ],
    [
      "missing pooling config",
      { "modules.json": '[{"idx":0,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"}]' },
      /^1_Pooling\/config\.json: required by modules\.json \(module "1"\) but missing/,
    ],
    [
      "two pooling modes",
      {
        "modules.json": '[{"idx":0,"name":"1","path":"1_Pooling","type":"sentence_transformers.models.Pooling"}]',
        "1_Pooling/config.json": '{"pooling_mode_cls_token": true, "pooling_mode_max_tokens": true}',
      },
      /^1_Pooling\/config\.json: several pooling modes are enabled \(cls, max\)/,
    ],
    [
      "malformed config_sentence_transformers.json",
      { "config_sentence_transformers.json": "x" },
      /^config_sentence_transformers\.json: is not valid JSON/,
    ],
    [
      "unknown model_type",
      { "config.json": '{"model_type": "gpt2"}' },
      /^config\.json: model_type "gpt2" is not supported \(supported model_type values: bert, distilbert, roberta, xlm-roberta, electra, albert, model2vec/,
    ],
  ];
  it.each(bad)("%s is a ModelFolderError naming the file", async (_, overrides, message) => {
    const err = await failure(folder(overrides));
    expect(err).toBeInstanceOf(ModelFolderError);
    expect(err.message).toMatch(message);
  });

  it("a corrupted model.safetensors is a SafetensorsError naming it", async () => {
    const truncated = weights(["w"]).slice(0, -3);
    const err = await failure(folder({ "model.safetensors": truncated }));
    expect(err).toBeInstanceOf(SafetensorsError);
    expect(err.message).toMatch(/^model\.safetensors: tensor "w": data_offsets end 8 is past the end/);
  });
});

describe("resolveArchitecture", () => {
  it("maps architectures to model type and head", () => {
    const cases: [string, string, string][] = [
      ["bert", "BertForSequenceClassification", "ForSequenceClassification"],
      ["distilbert", "DistilBertForTokenClassification", "ForTokenClassification"],
      ["roberta", "RobertaForMaskedLM", "ForMaskedLM"],
      ["xlm-roberta", "XLMRobertaForSequenceClassification", "ForSequenceClassification"],
      ["electra", "ElectraForQuestionAnswering", "ForQuestionAnswering"],
      ["albert", "AlbertModel", "base"],
    ];
    for (const [modelType, cls, head] of cases) {
      expect(resolveArchitecture({ model_type: modelType, architectures: [cls] })).toEqual({
        kind: "encoder",
        modelType,
        head,
        className: cls,
      });
    }
    expect(resolveArchitecture({ model_type: "bert" })).toEqual({
      kind: "encoder",
      modelType: "bert",
      head: "base",
      className: null,
    });
    expect(resolveArchitecture({ model_type: "model2vec", architectures: ["StaticModel"] })).toEqual({
      kind: "static",
      modelType: "model2vec",
    });
  });

  it("refuses unknown heads, mismatched classes and bad fields, listing what is supported", () => {
    expect(() => resolveArchitecture({ model_type: "bert", architectures: ["BertForPreTraining"] })).toThrow(
      /architecture "BertForPreTraining" has an unsupported head \(.*supported heads: base model, ForSequenceClassification, ForTokenClassification, ForQuestionAnswering, ForMaskedLM/,
    );
    expect(() => resolveArchitecture({ model_type: "bert", architectures: ["RobertaModel"] })).toThrow(
      /does not belong to model_type "bert"/,
    );
    expect(() => resolveArchitecture({ model_type: "bert", architectures: "BertModel" })).toThrow(
      /"architectures" must be a non-empty array/,
    );
    expect(() => resolveArchitecture({ architectures: ["BertModel"] })).toThrow(/"model_type" is missing/);
    expect(() => resolveArchitecture({ model_type: "bert", architectures: ["BertModel", "BertForMaskedLM"] })).toThrow(
      /several classes/,
    );
  });
});

describe("readEncoderConfig", () => {
  it("reads BERT names, defaulting what transformers defaults", () => {
    const c = readEncoderConfig({ ...BERT_CONFIG, id2label: { "1": "POS", "0": "NEG" } }, "bert");
    expect(c).toEqual({
      hiddenSize: 8,
      numLayers: 1,
      numHeads: 2,
      intermediateSize: 16,
      vocabSize: 10,
      maxPositions: 32,
      typeVocabSize: 2,
      embeddingSize: 8,
      layerNormEps: 1e-12,
      hiddenAct: "gelu",
      padTokenId: 0,
      labels: ["NEG", "POS"],
    });
  });

  it("reads DistilBERT's own names", () => {
    const c = readEncoderConfig(
      {
        model_type: "distilbert",
        dim: 12,
        n_layers: 2,
        n_heads: 3,
        hidden_dim: 24,
        vocab_size: 5,
        max_position_embeddings: 16,
        activation: "gelu",
      },
      "distilbert",
    );
    expect([c.hiddenSize, c.numLayers, c.numHeads, c.intermediateSize, c.typeVocabSize, c.layerNormEps]).toEqual([
      12, 2, 3, 24, 0, 1e-12,
    ]);
  });

  it("names the bad field", () => {
    expect(() => readEncoderConfig({ ...BERT_CONFIG, hidden_size: 9 }, "bert")).toThrow(
      /config\.json: "hidden_size" 9 is not divisible by "num_attention_heads" 2/,
    );
    expect(() => readEncoderConfig({ ...BERT_CONFIG, num_hidden_layers: "2" }, "bert")).toThrow(
      /config\.json: "num_hidden_layers" must be an integer >= 1, got "2"/,
    );
    expect(() => readEncoderConfig({ ...BERT_CONFIG, id2label: { "0": "a", "2": "b" } }, "bert")).toThrow(
      /"id2label" must map 0\.\.1/,
    );
    expect(() => readEncoderConfig({ ...BERT_CONFIG, layer_norm_eps: undefined }, "bert")).toThrow(
      /"layer_norm_eps" must be a positive number/,
    );
  });
});
