// Shared by node-reference.ts (onnxruntime-node computes the reference in Node) and
// ort-web.test.ts (onnxruntime-web inside workerd): a tiny BERT classifier folder with its ONNX export.
import { readEncoderConfig } from "../../src/index.js";
import { encoderOnnx } from "../../src/testing/encoder-onnx.js";
import { generateTinyEncoder } from "../../src/testing/tiny-encoder.js";

export function ortCase(): {
  files: Record<string, string | Uint8Array>;
  inputs: { inputIds: number[][]; attentionMask: number[][]; tokenTypeIds: number[][] };
} {
  const tiny = generateTinyEncoder({ seed: 303, modelType: "bert", head: "ForTokenClassification" });
  const config = readEncoderConfig(tiny.config, "bert");
  // A padded batch: a sentence pair, a shorter pair, a single sentence (pad id 0, as the tiny BERT's).
  const inputs = {
    inputIds: [
      [2, 9, 14, 5, 30, 11, 3],
      [2, 17, 6, 3, 20, 3, 0],
      [2, 8, 3, 0, 0, 0, 0],
    ],
    attentionMask: [
      [1, 1, 1, 1, 1, 1, 1],
      [1, 1, 1, 1, 1, 1, 0],
      [1, 1, 1, 0, 0, 0, 0],
    ],
    tokenTypeIds: [
      [0, 0, 0, 0, 1, 1, 1],
      [0, 0, 0, 0, 1, 1, 0],
      [0, 0, 0, 0, 0, 0, 0],
    ],
  };
  const { model } = encoderOnnx({
    modelType: "bert",
    head: "ForTokenClassification",
    tensors: tiny.tensors,
    prefix: "bert.",
    hiddenSize: config.hiddenSize,
    numHeads: config.numHeads,
    numLayers: config.numLayers,
    layerNormEps: config.layerNormEps,
    hiddenAct: "gelu",
    padTokenId: config.padTokenId,
    hasTokenTypes: true,
    batch: inputs.inputIds.length,
    seq: inputs.inputIds[0].length,
  });
  return { files: { ...tiny.files, "onnx/model.onnx": model }, inputs };
}
