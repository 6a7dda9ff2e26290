/**
 * Test-model generators ("@edgeformers/engine/testing"): seeded tiny model folders with real
 * architectures and exact Hugging Face tensor names, for tests in this and other packages.
 */

export { type EncoderGraphSpec, encoderOnnx } from "./encoder-onnx.js";
export { encodeModel, type OnnxInitializer, type OnnxNode, type OnnxValue } from "./onnx-writer.js";
export { SeededRandom } from "./random.js";
export { generateTinyBert, type TinyBert, type TinyBertOptions } from "./tiny-bert.js";
export {
  BERT_BASE_SHAPE,
  generateTinyEncoder,
  MINILM_L6_SHAPE,
  type TinyEncoder,
  type TinyEncoderOptions,
  type TinyTensors,
  tinyTokenizer,
} from "./tiny-encoder.js";
export { sentenceTransformersFiles, wordPieceTokenizer } from "./word-tokenizer.js";
