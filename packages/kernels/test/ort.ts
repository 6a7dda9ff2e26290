// Runs ONNX graphs with onnxruntime-node on one thread (the oracle for the ORT comparisons).
import * as ort from "onnxruntime-node";
import type { ElementType, TensorData } from "./onnx-builder.ts";

export type Feed = { readonly type: ElementType; readonly data: TensorData; readonly dims: readonly number[] };

export async function runOnnx(model: Uint8Array, feeds: Record<string, Feed>): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(model, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: "sequential",
  });
  try {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, feed] of Object.entries(feeds)) inputs[name] = new ort.Tensor(feed.type, feed.data, feed.dims);
    return await session.run(inputs);
  } finally {
    await session.release();
  }
}

export const f32 = (data: Float32Array, dims: readonly number[]): Feed => ({ type: "float32", data, dims });
