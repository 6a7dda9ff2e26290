/**
 * Turns a PyTorch-exported ONNX graph of a Hugging Face model back into safetensors with the
 * checkpoint's tensor names: named initializers as they are, Identity aliases (tied/deduplicated
 * parameters) under their own names, and each anonymous MatMul weight ("onnx::MatMul_N", [in, out])
 * transposed back to [out, in] under the name of the bias its Add consumes (".bias" → ".weight").
 */
import { type OnnxTensor, readGraph } from "./onnx-reader.js";

function transpose(t: OnnxTensor): Float32Array {
  const [rows, cols] = t.dims;
  const out = new Float32Array(t.data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = t.data[r * cols + c];
  return out;
}

export interface RecoveredExport {
  /** HF-named tensors (shape, f32 data). */
  tensors: Record<string, { dtype: "F32"; shape: number[]; data: Float32Array }>;
  /** Head count read from the graph's 4-D reshape targets [batch, seq, heads, head_dim]. */
  numHeads: number | null;
  /** The LayerNorm epsilon (the small scalar added to the variance). */
  layerNormEps: number | null;
}

export function recoverExport(onnx: Uint8Array, keep: (name: string) => boolean, hidden: number): RecoveredExport {
  const { nodes, tensors } = readGraph(onnx);
  for (const n of nodes) {
    if (n.op === "Identity" && tensors.has(n.inputs[0])) tensors.set(n.outputs[0], tensors.get(n.inputs[0])!);
  }
  const out: RecoveredExport["tensors"] = {};
  for (const n of nodes) {
    if (n.op !== "MatMul") continue;
    const w = tensors.get(n.inputs[1]);
    if (!w || w.dims.length !== 2 || keep(n.inputs[1])) continue;
    const add = nodes.find((m) => m.op === "Add" && m.inputs.includes(n.outputs[0]));
    const bias = add?.inputs.find((i) => i !== n.outputs[0]);
    if (!bias?.endsWith(".bias")) throw new Error(`MatMul ${n.inputs[1]} is not followed by a named bias`);
    out[bias.replace(/\.bias$/, ".weight")] = { dtype: "F32", shape: [w.dims[1], w.dims[0]], data: transpose(w) };
  }
  for (const [name, t] of tensors) {
    if (keep(name) && !t.int64) out[name] = { dtype: "F32", shape: t.dims, data: t.data };
  }
  let numHeads: number | null = null;
  for (const n of nodes) {
    if (n.op !== "Reshape") continue;
    const target = tensors.get(n.inputs[1]);
    if (target?.int64 && target.data.length === 4 && target.data[2] * target.data[3] === hidden)
      numHeads = target.data[2];
  }
  // Newer exporters build the target with Concat(batch, seq, [heads], [head_dim]) instead.
  for (const n of nodes) {
    if (numHeads !== null || n.op !== "Concat") continue;
    const consts = n.inputs.map((i) => tensors.get(i)).filter((t) => t?.int64 && t.data.length === 1);
    if (n.inputs.length === 4 && consts.length === 2 && consts[0]!.data[0] * consts[1]!.data[0] === hidden) {
      numHeads = consts[0]!.data[0];
    }
  }
  let layerNormEps: number | null = null;
  for (const n of nodes) {
    if (n.op !== "Add") continue;
    for (const i of n.inputs) {
      const t = tensors.get(i);
      if (t && !t.int64 && t.data.length === 1 && t.data[0] > 0 && t.data[0] < 1e-3) layerNormEps = t.data[0];
    }
  }
  return { tensors: out, numHeads, layerNormEps };
}
