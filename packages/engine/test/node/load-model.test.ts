/** The public loadModel API: sources, sentence-transformers settings, input checks, batching, stats. */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadKernels } from "@edgeformers/kernels/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BundleSource,
  DEFAULT_MEMORY_BUDGET_BYTES,
  LocalDirSource,
  loadModel,
  MAX_BATCH_TOKENS,
  type Model,
  ModelFolderError,
  serializeSafetensors,
} from "../../src/index.js";
import { DirectorySource } from "../../src/node.js";
import { generateTinyEncoder } from "../../src/testing/tiny-encoder.js";
import { compareWithOrt, maxAbsDiff } from "../helpers/ort-compare.js";

const ST_FILES = {
  "modules.json": JSON.stringify([
    { idx: 0, name: "0", path: "", type: "sentence_transformers.models.Transformer" },
    { idx: 1, name: "1", path: "1_Pooling", type: "sentence_transformers.models.Pooling" },
    { idx: 2, name: "2", path: "2_Normalize", type: "sentence_transformers.models.Normalize" },
  ]),
  "1_Pooling/config.json": JSON.stringify({
    word_embedding_dimension: 16,
    pooling_mode_cls_token: false,
    pooling_mode_mean_tokens: true,
    include_prompt: false,
  }),
  "config_sentence_transformers.json": JSON.stringify({
    prompts: { query: "query: ", passage: "passage: " },
    default_prompt_name: "query",
    similarity_fn_name: "cosine",
  }),
  "sentence_bert_config.json": JSON.stringify({ max_seq_length: 20, do_lower_case: false }),
};

describe("loadModel from a local directory (LocalDirSource from the main entry)", () => {
  let dir: string;
  let model: Model;
  const tiny = generateTinyEncoder({ seed: 101 });
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "engine-load-"));
    await mkdir(join(dir, "1_Pooling"));
    for (const [name, content] of Object.entries({ ...tiny.files, ...ST_FILES })) {
      await writeFile(join(dir, name), content);
    }
    model = await loadModel(new LocalDirSource(dir));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("exposes config, tokenizer, sentence-transformers settings and the outputs", async () => {
    expect(model.config).toMatchObject({ model_type: "bert", hidden_size: 16 });
    expect(model.backend).toBe("kernels");
    expect(model.dtype).toBe("f32");
    expect(model.outputNames).toEqual(["last_hidden_state", "pooler_output"]);
    expect(Array.from(model.tokenizer.encode("w7 w9").ids)).toEqual([2, 7, 9, 3]);
    expect(model.sentenceTransformers).toMatchObject({
      pooling: { mode: "mean", includePrompt: false, dimension: 16 },
      normalize: true,
      prompts: { query: "query: ", passage: "passage: " },
      defaultPromptName: "query",
      maxSeqLength: 20,
      config: { similarity_fn_name: "cosine" },
    });
    expect(DirectorySource).toBe(LocalDirSource);
  });

  it("gives the same outputs as the same folder from memory, and those match onnxruntime", async () => {
    const inputs = { inputIds: [[2, 9, 14, 5, 3]], tokenTypeIds: [[0, 0, 0, 1, 1]] };
    const fromDisk = await model.forward(inputs);
    const fromMemory = await (await loadModel(new BundleSource(tiny.files))).forward(inputs);
    expect(fromDisk.last_hidden_state.dims).toEqual([1, 5, 16]);
    expect(fromDisk.pooler_output.dims).toEqual([1, 16]);
    expect(maxAbsDiff(fromDisk.last_hidden_state.data, fromMemory.last_hidden_state.data)).toBe(0);
    const { errors } = await compareWithOrt({ seed: 101 }, { ...inputs, attentionMask: [[1, 1, 1, 1, 1]] });
    expect(errors.last_hidden_state).toBeLessThan(1e-4);
  });

  it("has no sentence-transformers settings when the folder has none", async () => {
    expect((await loadModel(new BundleSource(tiny.files))).sentenceTransformers).toBeNull();
  });

  it("names a missing directory", async () => {
    await expect(loadModel(new LocalDirSource(join(dir, "absent")))).rejects.toThrow(/config\.json/);
  });
});

describe("loadModel options", () => {
  const tiny = generateTinyEncoder({ seed: 102, head: "ForSequenceClassification" });

  it("accepts a kernels instance or a compiled WebAssembly.Module", async () => {
    const kernels = loadKernels();
    const a = await loadModel(new BundleSource(tiny.files), { kernels });
    expect(kernels.memory.stats().persistentBytes).toBeGreaterThan(0);
    const { loadModule } = await import("@edgeformers/kernels/node");
    const b = await loadModel(new BundleSource(tiny.files), { kernels: loadModule("simd") });
    const input = { inputIds: [[2, 9, 3]] };
    expect(Array.from((await a.forward(input)).logits.data)).toEqual(Array.from((await b.forward(input)).logits.data));
    await expect(
      loadModel(new BundleSource(tiny.files), { kernels: {} as unknown as WebAssembly.Module }),
    ).rejects.toThrow(TypeError);
  });

  it("refuses unknown options and backends that cannot run the model, naming them", async () => {
    const source = new BundleSource(tiny.files);
    const bad = (o: object) => loadModel(source, o as never);
    await expect(bad({ backend: "gpu" })).rejects.toThrow(/options\.backend must be one of kernels, ort, static/);
    await expect(bad({ dtype: "f16" })).rejects.toThrow(/options\.dtype must be one of f32, int8/);
    await expect(bad({ memoryBudgetBytes: -1 })).rejects.toThrow(RangeError);
    await expect(bad({ int8Kernel: "vnni" })).rejects.toThrow(
      /options\.int8Kernel must be one of auto, i16, dot, dot8/,
    );
    await expect(bad({ backend: "static" })).rejects.toThrow(/only runs model2vec models/);
    await expect(bad({ backend: "ort" })).rejects.toThrow(
      /the ort backend needs onnx\/model\.onnx for dtype "f32" \(found: none\)/,
    );
    await expect(loadModel(null as never)).rejects.toThrow(TypeError);
  });

  it("refuses relative position embeddings instead of computing them wrongly", async () => {
    const config = { ...JSON.parse(tiny.files["config.json"]), position_embedding_type: "relative_key" };
    await expect(loadModel(new BundleSource({ ...tiny.files, "config.json": JSON.stringify(config) }))).rejects.toThrow(
      /config\.json: "position_embedding_type" "relative_key" is not supported \(supported: absolute\)/,
    );
  });

  it("names a missing head tensor and its file", async () => {
    const { "model.safetensors": _, ...rest } = tiny.files;
    const tensors = Object.fromEntries(Object.entries(tiny.tensors).filter(([n]) => !n.startsWith("classifier.")));
    const files = { ...rest, "model.safetensors": serializeSafetensors(tensors) };
    await expect(loadModel(new BundleSource(files))).rejects.toThrow(
      /model\.safetensors: tensor "classifier\.weight" is missing/,
    );
    await expect(loadModel(new BundleSource(files))).rejects.toBeInstanceOf(ModelFolderError);
  });
});

describe("forward input checks", () => {
  let model: Model;
  beforeAll(async () => {
    model = await loadModel(new BundleSource(generateTinyEncoder({ seed: 103 }).files));
  });
  const cases: [string, unknown, RegExp, typeof TypeError | typeof RangeError][] = [
    [
      "mask row length",
      {
        inputIds: [
          [2, 3],
          [2, 5, 6, 7, 8, 9, 3],
        ],
        attentionMask: [
          [1, 1],
          [1, 1, 1, 1, 1, 1],
        ],
      },
      /inputIds\[1\] has length 7 but attentionMask\[1\] has 6/,
      RangeError,
    ],
    [
      "id out of vocabulary",
      { inputIds: [[2, 32, 3]] },
      /inputIds\[0\]\[1\] = 32 is outside the vocabulary \[0, 32\)/,
      RangeError,
    ],
    ["negative id", { inputIds: [[2, -1]] }, /inputIds\[0\]\[1\] = -1/, RangeError],
    ["fractional id", { inputIds: [[2, 1.5]] }, /inputIds\[0\]\[1\] must be an integer/, TypeError],
    [
      "token type out of range",
      { inputIds: [[2, 5]], tokenTypeIds: [[0, 2]] },
      /tokenTypeIds\[0\]\[1\] = 2 is outside \[0, 2\)/,
      RangeError,
    ],
    [
      "mask value",
      { inputIds: [[2, 5]], attentionMask: [[1, 7]] },
      /attentionMask\[0\]\[1\] = 7 is outside \{0, 1\}/,
      RangeError,
    ],
    [
      "sequence count",
      { inputIds: [[2], [3]], attentionMask: [[1]] },
      /inputIds has 2 sequences but attentionMask has 1/,
      RangeError,
    ],
    ["empty batch", { inputIds: [] }, /at least one sequence/, RangeError],
    ["empty row", { inputIds: [[2], []] }, /inputIds\[1\] is empty/, RangeError],
    ["not arrays", { inputIds: "2 3" }, /inputIds must be an array/, TypeError],
    [
      "too long",
      { inputIds: [Array(25).fill(5)] },
      /inputIds\[0\] has 25 tokens but the model accepts at most 24/,
      RangeError,
    ],
  ];
  it.each(cases)("%s", async (_, inputs, message, type) => {
    const err = await model.forward(inputs as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect((err as Error).message).toMatch(message);
  });

  it("accepts typed-array rows (Int32Array ids, Uint8Array mask) like plain arrays", async () => {
    const plain = await model.forward({ inputIds: [[2, 9, 3]], attentionMask: [[1, 1, 1]] });
    const typed = await model.forward({
      inputIds: [Int32Array.from([2, 9, 3])],
      attentionMask: [Uint8Array.from([1, 1, 1])],
    });
    expect(Array.from(typed.last_hidden_state.data)).toEqual(Array.from(plain.last_hidden_state.data));
    await expect(model.forward({ inputIds: [new DataView(new ArrayBuffer(4))] as never })).rejects.toThrow(TypeError);
  });

  it("DistilBERT (no token types) ignores tokenTypeIds, as transformers does, whatever the segments", async () => {
    const distil = await loadModel(new BundleSource(generateTinyEncoder({ seed: 107, modelType: "distilbert" }).files));
    const without = await distil.forward({ inputIds: [[2, 9, 3, 7, 3]] });
    const withPairs = await distil.forward({ inputIds: [[2, 9, 3, 7, 3]], tokenTypeIds: [[0, 0, 0, 1, 1]] });
    expect(Array.from(withPairs.last_hidden_state.data)).toEqual(Array.from(without.last_hidden_state.data));
    await expect(distil.forward({ inputIds: [[2, 9]], tokenTypeIds: [[0]] })).rejects.toThrow(
      /inputIds\[0\] has length 2 but tokenTypeIds\[0\] has 1/,
    );
  });

  it("RoBERTa accepts max_position_embeddings − padding_idx − 1 tokens", async () => {
    const roberta = await loadModel(new BundleSource(generateTinyEncoder({ seed: 104, modelType: "roberta" }).files));
    await expect(roberta.forward({ inputIds: [Array(22).fill(5)] })).resolves.toBeDefined();
    await expect(roberta.forward({ inputIds: [Array(23).fill(5)] })).rejects.toThrow(/at most 22/);
    await expect(roberta.forward({ inputIds: [[5, 6]], tokenTypeIds: [[0, 1]] })).rejects.toThrow(
      /tokenTypeIds\[0\]\[1\] = 1 is outside \[0, 1\) \(type_vocab_size 1\)/,
    );
  });
});

describe("batching within the memory budget", () => {
  const tiny = generateTinyEncoder({ seed: 105, head: "ForTokenClassification" });
  const rows = [
    [2, 9, 14, 5, 30, 11, 3],
    [2, 17, 3],
    [2, 8, 9, 10, 11, 12, 13, 14, 15, 3],
    [2, 3],
    [2, 6, 7, 3],
  ];

  it("ragged rows equal the same rows padded with a mask, and engine padding is zero", async () => {
    const model = await loadModel(new BundleSource(tiny.files));
    const ragged = await model.forward({ inputIds: rows });
    const seq = 10;
    const padded = await model.forward({
      inputIds: rows.map((r) => [...r, ...Array(seq - r.length).fill(0)]),
      attentionMask: rows.map((r) => [...r.map(() => 1), ...Array(seq - r.length).fill(0)]),
    });
    const labels = 3;
    expect(ragged.logits.dims).toEqual([5, seq, labels]);
    rows.forEach((r, b) => {
      const at = (t: Float32Array, s: number) => t.subarray((b * seq + s) * labels, (b * seq + s + 1) * labels);
      for (let s = 0; s < seq; s++) {
        if (s < r.length) expect(maxAbsDiff(at(ragged.logits.data, s), at(padded.logits.data, s))).toBeLessThan(1e-5);
        else expect(Array.from(at(ragged.logits.data, s))).toEqual([0, 0, 0]);
      }
    });
  });

  it("splits into several batches under a small budget with the same results, and reports stats", async () => {
    const roomy = await loadModel(new BundleSource(tiny.files));
    const roomyOut = await roomy.forward({ inputIds: rows });
    expect(roomy.stats().batches).toBe(1);
    const weights = roomy.stats().weightsBytes;
    // The wasm arena after loading (its free pages) counts too, and these few tokens' wasm
    // activations fit in it. 6.1 kB more hold the assembled outputs of all 5 rows (4.4 kB) and the
    // JS buffers of ~11 tokens (152 bytes each at hidden 16, logits included).
    const arena = roomy.stats().arenaBytes;
    const budget = weights + arena + 6_100;
    const tight = await loadModel(new BundleSource(tiny.files), { memoryBudgetBytes: budget });
    const tightOut = await tight.forward({ inputIds: rows });
    const stats = tight.stats();
    expect(stats.batches).toBeGreaterThanOrEqual(3);
    expect(stats.forwardCalls).toBe(1);
    expect(maxAbsDiff(tightOut.logits.data, roomyOut.logits.data)).toBeLessThan(1e-5);
    expect(stats).toMatchObject({ backend: "kernels", dtype: "f32", budgetBytes: budget, weightsBytes: weights });
    expect(stats.peakBytes).toBeGreaterThan(stats.weightsBytes + stats.arenaBytes);
    expect(stats.peakBytes).toBeLessThanOrEqual(budget);
    expect(roomy.stats().budgetBytes).toBe(DEFAULT_MEMORY_BUDGET_BYTES);
  });

  it(`caps a batch at ${MAX_BATCH_TOKENS} tokens whatever the budget, with the same results as one row at a time`, async () => {
    const long = generateTinyEncoder({ seed: 106, maxPositions: 512 });
    const model = await loadModel(new BundleSource(long.files));
    // 5 rows of 300 tokens: 3 fit under the cap (900), so 2 batches (3 + 2 rows), not 1.
    const seq = 300;
    const rows = Array.from({ length: 5 }, (_, b) =>
      Array.from({ length: seq }, (_, s) => 4 + ((b * 37 + s * 11) % 28)),
    );
    const all = await model.forward({ inputIds: rows });
    expect(Math.floor(MAX_BATCH_TOKENS / seq)).toBe(3);
    expect(model.stats().batches).toBe(2);
    const h = all.last_hidden_state.dims[2];
    for (const [b, row] of rows.entries()) {
      const one = await model.forward({ inputIds: [row] });
      const part = all.last_hidden_state.data.subarray(b * seq * h, (b + 1) * seq * h);
      expect(maxAbsDiff(part, one.last_hidden_state.data)).toBeLessThan(1e-5);
    }
    // The assembled [5, 300, h] output is held while the second batch runs, and counted.
    expect(model.stats().peakBytes).toBeGreaterThan(model.stats().weightsBytes + 5 * seq * h * 4);
  });

  it("a sequence that cannot fit even alone is a RangeError naming the sizes", async () => {
    const roomy = await loadModel(new BundleSource(tiny.files));
    const weights = roomy.stats().weightsBytes;
    // 2.4 kB more: next to a 10-token row, the held outputs (1.8 kB) leave room for ~4 tokens
    // (152 bytes each at hidden 16): the 2-token row fits, the 10-token row never does.
    const budget = weights + roomy.stats().arenaBytes + 2_400;
    const tight = await loadModel(new BundleSource(tiny.files), { memoryBudgetBytes: budget });
    await expect(tight.forward({ inputIds: [[2, 3]] })).resolves.toBeDefined();
    await expect(tight.forward({ inputIds: [[2, 3], rows[2]] })).rejects.toThrow(
      new RegExp(
        `inputIds\\[1\\] \\(10 tokens\\) needs about \\d+ bytes \\(activations and wasm arena\\); with ${weights} bytes of weights that exceeds memoryBudgetBytes ${budget}`,
      ),
    );
  });

  it("weights larger than the budget are refused at load", async () => {
    await expect(loadModel(new BundleSource(tiny.files), { memoryBudgetBytes: 10_000 })).rejects.toThrow(RangeError);
  });
});

describe('backend "ort" (the folder\'s ONNX export on onnxruntime-node)', () => {
  it("gives the kernels backend's outputs for the same folder", async () => {
    const { encoderOnnx } = await import("../../src/testing/encoder-onnx.js");
    const { paddedPairs } = await import("../helpers/ort-compare.js");
    const tiny = generateTinyEncoder({ seed: 106, head: "ForQuestionAnswering" });
    const { model: onnx } = encoderOnnx({
      modelType: "bert",
      head: "ForQuestionAnswering",
      tensors: tiny.tensors,
      prefix: "bert.",
      hiddenSize: 16,
      numHeads: 2,
      numLayers: 2,
      layerNormEps: 1e-12,
      hiddenAct: "gelu",
      padTokenId: 0,
      hasTokenTypes: true,
      batch: 3,
      seq: 7,
    });
    const files = { ...tiny.files, "onnx/model.onnx": onnx };
    const viaOrt = await loadModel(new BundleSource(files), { backend: "ort" });
    const viaKernels = await loadModel(new BundleSource(files));
    expect(viaOrt.backend).toBe("ort");
    expect([...viaOrt.outputNames].sort()).toEqual(["end_logits", "start_logits"]);
    const inputs = paddedPairs(0, true);
    const a = await viaOrt.forward(inputs);
    const b = await viaKernels.forward(inputs);
    for (const name of ["start_logits", "end_logits"]) {
      expect(a[name].dims).toEqual([3, 7]);
      expect(maxAbsDiff(a[name].data, b[name].data)).toBeLessThan(1e-4);
    }
    await expect(viaOrt.forward({ inputIds: [[2, 99]] })).rejects.toThrow(/inputIds\[0\]\[1\] = 99/);
    await expect(loadModel(new BundleSource(files), { backend: "ort", onnxruntime: {} })).rejects.toThrow(
      /options\.onnxruntime must be/,
    );
  });
});

describe('backend "static" (Model2Vec) through loadModel', () => {
  it("pools the masked ids into sentence_embedding", async () => {
    const { tinyTokenizer } = await import("../../src/testing/tiny-encoder.js");
    const rows = Float32Array.from({ length: 8 * 2 }, (_, i) => i); // row r = [2r, 2r + 1]
    const files = {
      "config.json": JSON.stringify({ model_type: "model2vec", normalize: false }),
      "tokenizer.json": JSON.stringify(tinyTokenizer(8)),
      "model.safetensors": serializeSafetensors({ embeddings: { dtype: "F32", shape: [8, 2], data: rows } }),
    };
    const model = await loadModel(new BundleSource(files));
    expect(model.backend).toBe("static");
    const out = await model.forward({ inputIds: [[5, 6, 7], [6]], attentionMask: [[1, 1, 0], [1]] });
    expect(out.sentence_embedding.dims).toEqual([2, 2]);
    // Mean of rows 5 and 6 = [11, 12]; row 6 alone = [12, 13].
    expect(Array.from(out.sentence_embedding.data)).toEqual([11, 12, 12, 13]);
    expect(model.stats()).toMatchObject({ backend: "static", weightsBytes: 64 });
    await expect(loadModel(new BundleSource(files), { backend: "kernels" })).rejects.toThrow(/cannot run a model2vec/);
  });
});
