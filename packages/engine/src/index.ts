/**
 * @edgeformers/engine: turns a Hugging Face model folder into outputs. This entry is safe in
 * Workers and browsers; Node-only pieces (local directory and disk cache) live in "./node".
 */

export {
  bf16ToF32,
  DTYPES,
  type Dtype,
  type DtypeArrays,
  dtypeSize,
  f16BitsToNumber,
  f16ToF32,
  type TensorArray,
  toFloat32,
} from "./dtypes.js";
export { ModelFolderError, ModelSourceError, SafetensorsError } from "./errors.js";
export { parseSafetensors, SafetensorsFile, type TensorInfo, type TensorStore } from "./safetensors.js";
export { serializeSafetensors, type TensorToWrite } from "./safetensors-writer.js";
