/** Shared pieces of the task heads: named outputs and the small element-wise ops they need. */
import type { Kernels } from "@edgeformers/kernels";
import type { EncoderModelType } from "../architecture.js";
import type { WeightReader } from "../backends/weights.js";
import type { EncoderConfig } from "../encoder-config.js";

/** One named output, row-major, as onnxruntime returns it. */
export interface Tensor {
  data: Float32Array;
  dims: number[];
}

export type Outputs = Record<string, Tensor>;

/** A head turns the last hidden state [batch, seq, hidden] into its named outputs. */
export interface TaskHead {
  /** The output names, as in the ONNX exports of the model. */
  readonly outputNames: readonly string[];
  run(hidden: Float32Array, batch: number, seq: number): Outputs;
  /** Bytes of the outputs and temporaries for `rows` = batch × seq tokens (for the memory budget). */
  bytesFor(batch: number, seq: number): number;
}

export interface HeadContext {
  kernels: Kernels;
  reader: WeightReader;
  config: EncoderConfig;
  modelType: EncoderModelType;
}

/** The first token of every sequence ([CLS] / <s>): [batch, hidden]. */
export function firstTokens(hidden: Float32Array, batch: number, seq: number, h: number): Float32Array {
  const out = new Float32Array(batch * h);
  for (let b = 0; b < batch; b++) out.set(hidden.subarray(b * seq * h, b * seq * h + h), b * h);
  return out;
}

export function tanhInPlace(x: Float32Array): Float32Array {
  for (let i = 0; i < x.length; i++) x[i] = Math.tanh(x[i]);
  return x;
}

export function reluInPlace(x: Float32Array): Float32Array {
  for (let i = 0; i < x.length; i++) if (!(x[i] > 0)) x[i] = 0;
  return x;
}

/** The number of labels of a classification head: id2label / num_labels, else the weight's rows. */
export function labelCount(ctx: HeadContext, weightName: string, root: boolean): number {
  if (ctx.config.labels.length > 0) return ctx.config.labels.length;
  const full = (root ? "" : ctx.reader.prefix) + weightName;
  return ctx.reader.store.has(full) ? ctx.reader.store.info(full).shape[0] : 2;
}
