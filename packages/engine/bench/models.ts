/**
 * What every engine bench runs: random BERT weights (std 0.02, BERT's initializer_range) in the
 * MiniLM-L6 and bert-base shapes, their ONNX export for onnxruntime, and the same inputs.
 */

import { encoderOnnx } from "../src/testing/encoder-onnx.js";
import {
  BERT_BASE_SHAPE,
  generateTinyEncoder,
  MINILM_L6_SHAPE,
  type TinyEncoder,
} from "../src/testing/tiny-encoder.js";

export const BENCH_SHAPES = [
  { name: "MiniLM-L6 shape", ...MINILM_L6_SHAPE },
  { name: "bert-base shape", ...BERT_BASE_SHAPE },
] as const;
export type BenchShape = (typeof BENCH_SHAPES)[number];

/** A BERT base model (no pooler) of the shape, seed 7. */
export function benchModel(shape: BenchShape): TinyEncoder {
  return generateTinyEncoder({ seed: 7, modelType: "bert", head: "base", pooler: false, ...shape, weightStd: 0.02 });
}

/** The ONNX export of the same weights for one fixed [batch, seq]. */
export function benchGraph(tiny: TinyEncoder, shape: BenchShape, seq: number, batch: number): Uint8Array {
  return encoderOnnx({
    modelType: "bert",
    head: "base",
    tensors: tiny.tensors,
    prefix: "",
    hiddenSize: shape.hiddenSize,
    numHeads: shape.numHeads,
    numLayers: shape.numLayers,
    layerNormEps: 1e-12,
    hiddenAct: "gelu",
    padTokenId: 0,
    hasTokenTypes: true,
    batch,
    seq,
  }).model;
}
