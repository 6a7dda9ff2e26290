/**
 * onnxruntime-web (wasm, one thread, through `@edgeformers/engine/ort-web`) against
 * onnxruntime-node on the same ONNX graphs: generated tiny exports through loadModel's "ort"
 * backend, and the real exporter graphs of the shared fixtures as raw sessions (skipped, with a
 * message, when absent). Fidelity bar: max abs error ≤ 1e-5.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as ortNode from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import type { EncoderModelType, Head } from "../../src/architecture.js";
import { BundleSource, loadModel, readEncoderConfig } from "../../src/index.js";
import { loadOrtWeb, type OrtWeb } from "../../src/ort-web/node.js";
import { encoderOnnx } from "../../src/testing/encoder-onnx.js";
import { generateTinyEncoder } from "../../src/testing/tiny-encoder.js";
import { fixture } from "../helpers/fixtures.js";
import { readTensorProto } from "../helpers/onnx-reader.js";
import { maxAbsDiff, paddedPairs } from "../helpers/ort-compare.js";

const TOLERANCE = 1e-5;
let ortWeb: OrtWeb;
beforeAll(async () => {
  ortWeb = await loadOrtWeb();
});

/** A tiny folder with its ONNX export (the graph the other ort tests use as oracle). */
function tinyFolder(seed: number, modelType: EncoderModelType, head: Head) {
  const tiny = generateTinyEncoder({ seed, modelType, head });
  const config = readEncoderConfig(tiny.config, modelType);
  const inputs = paddedPairs(config.padTokenId, config.typeVocabSize > 1);
  const prefix = Object.keys(tiny.tensors)
    .find((n) => n.endsWith("embeddings.word_embeddings.weight"))!
    .replace("embeddings.word_embeddings.weight", "");
  const { model } = encoderOnnx({
    modelType,
    head,
    tensors: tiny.tensors,
    prefix,
    hiddenSize: config.hiddenSize,
    numHeads: config.numHeads,
    numLayers: config.numLayers,
    layerNormEps: config.layerNormEps,
    hiddenAct: config.hiddenAct as "gelu" | "gelu_new" | "relu",
    padTokenId: config.padTokenId,
    hasTokenTypes: config.typeVocabSize > 0,
    batch: inputs.inputIds.length,
    seq: inputs.inputIds[0].length,
  });
  return { files: { ...tiny.files, "onnx/model.onnx": model }, inputs };
}

describe("onnxruntime-web (one wasm thread) through loadModel's ort backend", () => {
  const cases: [EncoderModelType, Head][] = [
    ["bert", "base"],
    ["bert", "ForSequenceClassification"],
    ["bert", "ForQuestionAnswering"],
    ["distilbert", "ForTokenClassification"],
    ["roberta", "ForMaskedLM"],
    ["xlm-roberta", "ForSequenceClassification"],
    ["electra", "base"],
    ["albert", "ForSequenceClassification"],
  ];
  for (const [i, [modelType, head]] of cases.entries()) {
    it(`${modelType} ${head}: every output within ${TOLERANCE} of onnxruntime-node`, async () => {
      const { files, inputs } = tinyFolder(500 + i, modelType, head);
      const web = await loadModel(new BundleSource(files), { backend: "ort", onnxruntime: ortWeb });
      const node = await loadModel(new BundleSource(files), { backend: "ort", onnxruntime: ortNode });
      const a = await web.forward(inputs);
      const b = await node.forward(inputs);
      expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
      const errors: Record<string, number> = {};
      for (const name of Object.keys(b)) {
        expect(a[name].dims).toEqual(b[name].dims);
        errors[name] = maxAbsDiff(a[name].data, b[name].data);
        expect(errors[name]).toBeLessThanOrEqual(TOLERANCE);
      }
      // Guard against comparing a runtime with itself: the two must be different modules.
      expect(ortWeb.InferenceSession).not.toBe(ortNode.InferenceSession);
      console.info(`[ort-web] ${modelType} ${head}: max abs error vs ort-node ${JSON.stringify(errors)}`);
    });
  }

  it("is initialised once; another wasm module afterwards is refused", async () => {
    expect(await loadOrtWeb()).toBe(ortWeb);
    expect(ortWeb.env.wasm.numThreads).toBe(1);
    const Module = WebAssembly.Module as unknown as new (bytes: BufferSource) => WebAssembly.Module;
    const other = new Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    await expect(loadOrtWeb(other)).rejects.toThrow(/already initialised with another WebAssembly\.Module/);
    // The patched WebAssembly.instantiate was put back.
    expect(WebAssembly.instantiate.toString()).toContain("[native code]");
  });
});

// ---- Real exporter graphs, run as raw sessions on both runtimes.

interface Feed {
  type: "int64" | "int32";
  data: number[];
  dims: number[];
}

type Runtime = Pick<typeof ortNode, "InferenceSession" | "Tensor">;

async function run(
  ort: Runtime,
  model: Uint8Array,
  feeds: Record<string, Feed>,
): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const tensors: Record<string, InstanceType<Runtime["Tensor"]>> = {};
    for (const [name, f] of Object.entries(feeds)) {
      tensors[name] =
        f.type === "int64"
          ? new ort.Tensor("int64", BigInt64Array.from(f.data.map(BigInt)), f.dims)
          : new ort.Tensor("int32", Int32Array.from(f.data), f.dims);
    }
    const out = await session.run(tensors);
    return Object.fromEntries(session.outputNames.map((n) => [n, out[n].data as Float32Array]));
  } finally {
    await session.release();
  }
}

/** Inputs from the export's own test_data_set_0 when it has one (types as the graph declares). */
function testDataFeeds(dir: string, types: Record<string, "int64" | "int32">): Record<string, Feed> {
  const feeds: Record<string, Feed> = {};
  for (const f of readdirSync(join(dir, "test_data_set_0")).filter((f) => f.startsWith("input_"))) {
    const t = readTensorProto(readFileSync(join(dir, "test_data_set_0", f)));
    feeds[t.name] = { type: types[t.name] ?? "int64", data: Array.from(t.data), dims: t.dims };
  }
  return feeds;
}

const padded = (pad: number): Record<string, Feed> => {
  const rows = [
    [0, 9, 14, 5, 30, 11, 2],
    [0, 17, 6, 2, pad, pad, pad],
  ];
  return {
    input_ids: { type: "int64", data: rows.flat(), dims: [2, 7] },
    attention_mask: {
      type: "int64",
      data: rows.flatMap((r) => r.map((x, i) => (i > 3 && x === pad ? 0 : 1))),
      dims: [2, 7],
    },
  };
};

const exports: { name: string; file: string; feeds: (dir: string) => Record<string, Feed> }[] = [
  { name: "opensearch-tiny-xlmroberta-crossencoder", file: "model.onnx", feeds: () => padded(1) },
  { name: "optimum-tiny-distilbert-classification", file: "model.onnx", feeds: () => padded(0) },
  {
    name: "ort-keras2onnx-tfbert-squad-qa",
    file: "TFBertForQuestionAnswering.onnx",
    feeds: (d) => testDataFeeds(d, { input_ids: "int32", attention_mask: "int32", token_type_ids: "int32" }),
  },
  {
    name: "ort-keras2onnx-tfbert-mrpc-seqcls",
    file: "TFBertForSequenceClassification_1.onnx",
    feeds: (d) => testDataFeeds(d, { input_ids: "int32", attention_mask: "int32", token_type_ids: "int32" }),
  },
  { name: "ort-pytorch-gpt2-nopast", file: "GPT2Model.onnx", feeds: (d) => testDataFeeds(d, {}) },
];

for (const e of exports) {
  const fx = fixture("models", "onnx-exports", e.name);
  describe.skipIf(!fx.available)(`onnxruntime-web on the real export ${e.name} (${fx.label})`, () => {
    it(`every output within ${TOLERANCE} of onnxruntime-node`, async () => {
      const model = new Uint8Array(readFileSync(join(fx.path, e.file)));
      const feeds = e.feeds(fx.path);
      const a = await run(ortWeb, model, feeds);
      const b = await run(ortNode, model, feeds);
      expect(Object.keys(a)).toEqual(Object.keys(b));
      const errors: Record<string, number> = {};
      for (const name of Object.keys(b)) {
        expect(b[name].length).toBeGreaterThan(0);
        errors[name] = maxAbsDiff(a[name], b[name]);
        expect(errors[name]).toBeLessThanOrEqual(TOLERANCE);
      }
      console.info(`[ort-web] real export ${e.name}: max abs error vs ort-node ${JSON.stringify(errors)}`);
    });
  });
}
