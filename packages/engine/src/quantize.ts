/**
 * `quantize(store)`: an int8 copy of a checkpoint, as safetensors bytes. Every matrix weight
 * (rank-2 `*.weight`, word embeddings included) becomes I8 with symmetric per-row scales — per
 * output channel for nn.Linear — stored next to it as `<name>_scale` (F32 [rows]), computed by the
 * kernels' own `quantizeWeights`, so loading the file packs exactly these values for the int8
 * GEMM. Position and token-type tables, norms and biases stay as they are (small, and precision
 * there matters). loadModel reads such a file with any dtype: int8 matrices run on the int8 GEMM,
 * int8 embedding tables are dequantised at load.
 */
import { createKernels, type Kernels } from "@edgeformers/kernels";
import { INT8_SCALE_SUFFIX, quantizeRowsInSlices } from "./backends/weights.js";
import type { TensorStore } from "./safetensors.js";
import { serializeSafetensors, type TensorToWrite } from "./safetensors-writer.js";

export interface QuantizeOptions {
  /** Kernels to quantise with (default: loaded for this runtime, as loadModel does). */
  kernels?: Kernels | WebAssembly.Module;
  /** Extra `__metadata__` entries. */
  metadata?: Record<string, string>;
}

const FLOAT_DTYPES = new Set(["F32", "F16", "BF16", "F64"]);

/** Whether a tensor is quantised: matrix weights, not the small position/token-type tables. */
export function isQuantizable(name: string, dtype: string, shape: readonly number[]): boolean {
  return (
    shape.length === 2 &&
    name.endsWith(".weight") &&
    FLOAT_DTYPES.has(dtype) &&
    !/(position_embeddings|token_type_embeddings)\.weight$/.test(name)
  );
}

export async function quantize(store: TensorStore, options: QuantizeOptions = {}): Promise<Uint8Array> {
  const kernels = await kernelsFor(options.kernels);
  const out: Record<string, TensorToWrite> = {};
  let quantized = 0;
  for (const name of store.names) {
    const info = store.info(name);
    if (name.endsWith(INT8_SCALE_SUFFIX) || !isQuantizable(name, info.dtype, info.shape)) {
      out[name] = { dtype: info.dtype, shape: info.shape, data: store.view(name) };
      continue;
    }
    const [rows, cols] = info.shape as [number, number];
    // Rows are output channels of an nn.Linear ([out, in]), i.e. the kernels' transposed layout.
    const q = quantizeRowsInSlices(kernels, store.float32(name), rows, cols);
    out[name] = { dtype: "I8", shape: info.shape, data: q.values };
    out[name + INT8_SCALE_SUFFIX] = { dtype: "F32", shape: [rows], data: q.scales };
    quantized++;
  }
  return serializeSafetensors(out, {
    quantization: "int8 symmetric per output channel (row), scales in <name>_scale",
    quantized_tensors: String(quantized),
    ...options.metadata,
  });
}

async function kernelsFor(given: Kernels | WebAssembly.Module | undefined): Promise<Kernels> {
  if (given instanceof WebAssembly.Module) return createKernels(given);
  if (given) return given;
  const runtime = await import("#kernels-runtime");
  return runtime.loadKernels();
}
