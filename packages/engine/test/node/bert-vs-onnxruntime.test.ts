import { loadKernels } from "@edgeformers/kernels/node";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import {
  BertEncoder,
  BundleSource,
  type EncoderArchitecture,
  loadModelFolder,
  ModelFolderError,
  parseSafetensors,
  readEncoderConfig,
} from "../../src/index.js";
import { encoderOnnx } from "../../src/testing/encoder-onnx.js";
import { generateTinyBert, type TinyBertOptions } from "../../src/testing/tiny-bert.js";

const kernels = loadKernels({ memoryBudgetBytes: 64 * 1024 * 1024 });

async function encoderFor(options: TinyBertOptions) {
  const tiny = generateTinyBert(options);
  const folder = await loadModelFolder(new BundleSource(tiny.files));
  const architecture = folder.architecture as EncoderArchitecture;
  const config = readEncoderConfig(folder.config, architecture.modelType);
  return { tiny, config, encoder: new BertEncoder(kernels, folder.weights!, config, architecture) };
}

async function runOrt(model: Uint8Array, ids: Int32Array, mask: Int32Array, types: Int32Array, dims: number[]) {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const i64 = (a: Int32Array) => new ort.Tensor("int64", BigInt64Array.from(Array.from(a, BigInt)), dims);
    const out = await session.run({ input_ids: i64(ids), attention_mask: i64(mask), token_type_ids: i64(types) });
    return out.last_hidden_state.data as Float32Array;
  } finally {
    await session.release();
  }
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe("tiny-BERT generator", () => {
  it("is deterministic per seed and writes Hugging Face tensor names", () => {
    const a = generateTinyBert({ seed: 7 });
    expect(generateTinyBert({ seed: 7 }).files["model.safetensors"]).toEqual(a.files["model.safetensors"]);
    expect(generateTinyBert({ seed: 8 }).files["model.safetensors"]).not.toEqual(a.files["model.safetensors"]);
    const st = parseSafetensors(a.files["model.safetensors"], "model.safetensors");
    expect(st.info("embeddings.word_embeddings.weight").shape).toEqual([32, 16]);
    expect(st.info("encoder.layer.0.attention.self.query.weight").shape).toEqual([16, 16]);
    expect(st.info("encoder.layer.1.intermediate.dense.weight").shape).toEqual([32, 16]);
    expect(st.info("encoder.layer.1.output.dense.weight").shape).toEqual([16, 32]);
    expect(st.names.length).toBe(5 + 2 * 16 + 2);
    expect(JSON.parse(a.files["config.json"])).toMatchObject({
      model_type: "bert",
      hidden_size: 16,
      num_hidden_layers: 2,
    });
  });
});

describe("BertEncoder (kernels) against onnxruntime-node on an equivalent ONNX graph", () => {
  const cases: [string, TinyBertOptions][] = [
    ["BertModel, erf GELU", { seed: 42 }],
    [
      "BertForMaskedLM-prefixed, tanh GELU, 4 heads, 3 layers",
      {
        seed: 3,
        prefix: "bert.",
        hiddenAct: "gelu_new",
        numHeads: 4,
        numLayers: 3,
        hiddenSize: 24,
        intermediateSize: 40,
      },
    ],
  ];
  it.each(cases)("%s: last hidden state matches within 1e-4, padding included", async (_, options) => {
    const { tiny, config, encoder } = await encoderFor(options);
    const batch = 2;
    const seq = 7;
    // Sequence 0 is full; sequence 1 has 4 tokens then padding. Token types switch mid-way.
    const ids = Int32Array.from([2, 9, 14, 5, 30, 11, 3, 2, 17, 6, 3, 0, 0, 0]);
    const mask = Int32Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
    const types = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 0]);
    const ours = encoder.forward({ inputIds: ids, batch, seq, attentionMask: mask, tokenTypeIds: types });

    const p = options.prefix ?? "";
    const tensors = Object.fromEntries(
      Object.entries(tiny.tensors).map(([name, t]) => [name.slice(p.length), { shape: t.shape, data: t.data }]),
    );
    const { model: onnx } = encoderOnnx({
      modelType: "bert",
      head: "base",
      tensors,
      prefix: "",
      hiddenSize: config.hiddenSize,
      numHeads: config.numHeads,
      numLayers: config.numLayers,
      layerNormEps: config.layerNormEps,
      hiddenAct: options.hiddenAct ?? "gelu",
      padTokenId: 0,
      hasTokenTypes: true,
      batch,
      seq,
    });
    const reference = await runOrt(onnx, ids, mask, types, [batch, seq]);
    const err = maxAbsDiff(ours, reference);
    console.info(`[bert] ${_}: max abs error vs onnxruntime ${err.toExponential(3)}`);
    expect(err).toBeLessThan(1e-4);
    // Padding must not leak: the real tokens of sequence 1 are the same as when run alone, unpadded.
    const alone = encoder.forward({ inputIds: ids.slice(7, 11), batch: 1, seq: 4, tokenTypeIds: types.slice(7, 11) });
    expect(maxAbsDiff(alone, ours.slice(7 * config.hiddenSize, 11 * config.hiddenSize))).toBeLessThan(1e-5);
  });

  it("refuses what it cannot run, naming the file and field", async () => {
    const tiny = generateTinyBert({ seed: 1 });
    const folder = await loadModelFolder(new BundleSource(tiny.files));
    const arch = folder.architecture as EncoderArchitecture;
    const config = readEncoderConfig(folder.config, "bert");
    expect(() => new BertEncoder(kernels, folder.weights!, config, { ...arch, modelType: "distilbert" })).toThrow(
      /model_type "distilbert" does not use the BERT tensor layout/,
    );
    expect(() => new BertEncoder(kernels, folder.weights!, { ...config, hiddenAct: "silu" }, arch)).toThrow(
      ModelFolderError,
    );
    expect(() => new BertEncoder(kernels, folder.weights!, { ...config, hiddenAct: "silu" }, arch)).toThrow(
      /config\.json: hidden_act "silu" is not supported/,
    );
    expect(() => new BertEncoder(kernels, folder.weights!, { ...config, numLayers: 3 }, arch)).toThrow(
      /model\.safetensors: tensor "encoder\.layer\.2\.attention\.self\.query\.weight" is missing/,
    );
    expect(() => new BertEncoder(kernels, folder.weights!, { ...config, intermediateSize: 30 }, arch)).toThrow(
      /tensor "encoder\.layer\.0\.intermediate\.dense\.weight" has shape \[32,16\], config\.json implies \[30,16\]/,
    );
    const encoder = new BertEncoder(kernels, folder.weights!, config, arch);
    expect(() => encoder.forward({ inputIds: new Int32Array(25), batch: 1, seq: 25 })).toThrow(
      /seq 25 exceeds max_position_embeddings 24/,
    );
    expect(() => encoder.forward({ inputIds: new Int32Array(3), batch: 1, seq: 4 })).toThrow(TypeError);
    expect(() => encoder.forward({ inputIds: Int32Array.from([1, 99]), batch: 1, seq: 2 })).toThrow(RangeError);
    expect(() =>
      new BertEncoder(kernels, folder.weights!, config, arch).forward({
        inputIds: new Int32Array(2),
        batch: 0,
        seq: 2,
      }),
    ).toThrow(RangeError);
  });
});
