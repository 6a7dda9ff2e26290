/** Runs a generated tiny model through loadModel and through onnxruntime-node, output by output. */
import * as ort from "onnxruntime-node";
import { expect } from "vitest";
import { BundleSource, type LoadModelOptions, loadModel, type Model, readEncoderConfig } from "../../src/index.js";
import { encoderOnnx } from "../../src/testing/encoder-onnx.js";
import { generateTinyEncoder, type TinyEncoder, type TinyEncoderOptions } from "../../src/testing/tiny-encoder.js";

export interface BatchInputs {
  inputIds: number[][];
  attentionMask: number[][];
  tokenTypeIds?: number[][];
}

/** A padded batch of a sentence pair, a shorter pair and a single sentence (pad = padTokenId). */
export function paddedPairs(padTokenId: number, withTypes: boolean): BatchInputs {
  const rows = [
    { ids: [2, 9, 14, 5, 30, 11, 3], types: [0, 0, 0, 0, 1, 1, 1] },
    { ids: [2, 17, 6, 3, 20, 3], types: [0, 0, 0, 0, 1, 1] },
    { ids: [2, 8, 3], types: [0, 0, 0] },
  ];
  const seq = 7;
  const pad = (r: number[], v: number) => [...r, ...Array(seq - r.length).fill(v)];
  return {
    inputIds: rows.map((r) => pad(r.ids, padTokenId)),
    attentionMask: rows.map((r) =>
      pad(
        r.ids.map(() => 1),
        0,
      ),
    ),
    ...(withTypes ? { tokenTypeIds: rows.map((r) => pad(r.types, 0)) } : {}),
  };
}

export async function runOrt(model: Uint8Array, inputs: BatchInputs): Promise<Record<string, Float32Array>> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  try {
    const dims = [inputs.inputIds.length, inputs.inputIds[0].length];
    const i64 = (a: number[][]) => new ort.Tensor("int64", BigInt64Array.from(a.flat().map(BigInt)), dims);
    const feeds: Record<string, ort.Tensor> = {
      input_ids: i64(inputs.inputIds),
      attention_mask: i64(inputs.attentionMask),
    };
    if (session.inputNames.includes("token_type_ids")) {
      feeds.token_type_ids = i64(inputs.tokenTypeIds ?? inputs.inputIds.map((r) => r.map(() => 0)));
    }
    const out = await session.run(feeds);
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
  } finally {
    await session.release();
  }
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

export interface Comparison {
  tiny: TinyEncoder;
  model: Model;
  ours: Record<string, Float32Array>;
  reference: Record<string, Float32Array>;
  /** Max abs error per output name. */
  errors: Record<string, number>;
}

/** Generates the model, runs both, and returns the per-output max abs error. */
export async function compareWithOrt(
  options: TinyEncoderOptions,
  inputs?: BatchInputs,
  loadOptions: LoadModelOptions = {},
): Promise<Comparison> {
  const tiny = generateTinyEncoder(options);
  const model = await loadModel(new BundleSource(tiny.files), loadOptions);
  const modelType = options.modelType ?? "bert";
  const config = readEncoderConfig(tiny.config, modelType);
  const hasTokenTypes = config.typeVocabSize > 0;
  const batch = inputs ?? paddedPairs(config.padTokenId, config.typeVocabSize > 1);
  const out = await model.forward(batch);
  const prefix = Object.keys(tiny.tensors)
    .find((n) => n.endsWith("embeddings.word_embeddings.weight"))!
    .replace("embeddings.word_embeddings.weight", "");
  const { model: onnx, outputs } = encoderOnnx({
    modelType,
    head: options.head ?? "base",
    tensors: tiny.tensors,
    prefix,
    hiddenSize: config.hiddenSize,
    numHeads: config.numHeads,
    numLayers: config.numLayers,
    layerNormEps: config.layerNormEps,
    hiddenAct: config.hiddenAct as "gelu" | "gelu_new" | "relu",
    padTokenId: config.padTokenId,
    hasTokenTypes,
    ...(options.numHiddenGroups ? { numHiddenGroups: options.numHiddenGroups } : {}),
    ...(options.innerGroupNum ? { innerGroupNum: options.innerGroupNum } : {}),
    batch: batch.inputIds.length,
    seq: batch.inputIds[0].length,
  });
  const reference = await runOrt(onnx, batch);
  const ours: Record<string, Float32Array> = {};
  const errors: Record<string, number> = {};
  expect(Object.keys(out).sort()).toEqual([...outputs].sort());
  for (const name of outputs) {
    ours[name] = out[name].data;
    errors[name] = maxAbsDiff(out[name].data, reference[name]);
  }
  return { tiny, model, ours, reference, errors };
}
