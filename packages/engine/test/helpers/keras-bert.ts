/**
 * Recovers a Hugging Face BERT checkpoint from a keras2onnx export of TFBert* (ONNX Runtime's tiny
 * test models): TF variable names → HF names, Dense kernels [in, out] → nn.Linear [out, in].
 */
import type { OnnxTensor } from "./onnx-reader.js";

const T = (t: OnnxTensor): Float32Array => {
  const [rows, cols] = t.dims;
  const out = new Float32Array(t.data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = t.data[r * cols + c];
  return out;
};

export function kerasBertTensors(
  tensors: Map<string, OnnxTensor>,
  root: string,
  numLayers: number,
  head: "qa_outputs" | "classifier",
): { tensors: Record<string, { dtype: "F32"; shape: number[]; data: Float32Array }>; eps: number } {
  const out: Record<string, { dtype: "F32"; shape: number[]; data: Float32Array }> = {};
  const find = (pattern: RegExp): OnnxTensor => {
    const hits = [...tensors].filter(([n]) => pattern.test(n));
    if (hits.length !== 1) throw new Error(`${hits.length} tensors match ${pattern}`);
    return hits[0][1];
  };
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const put = (name: string, t: OnnxTensor, transpose = false) => {
    out[name] = {
      dtype: "F32",
      shape: transpose ? [t.dims[1], t.dims[0]] : t.dims,
      data: transpose ? T(t) : t.data,
    };
  };
  const b = `${root}/bert/`;
  put("bert.embeddings.word_embeddings.weight", find(new RegExp(`^${esc(b)}embeddings/Gather/resource`)));
  // Some exports keep the position table already gathered for their fixed length: [1, seq, hidden].
  const positions = find(new RegExp(`^${esc(b)}embeddings/position_embeddings/`));
  put("bert.embeddings.position_embeddings.weight", { dims: positions.dims.slice(-2), data: positions.data });
  put("bert.embeddings.token_type_embeddings.weight", find(new RegExp(`^${esc(b)}embeddings/token_type_embeddings/`)));
  const norm = (tf: string, hf: string) => {
    put(`${hf}.weight`, find(new RegExp(`^${esc(tf)}/batchnorm/mul/ReadVariableOp(/resource)?:0`)));
    put(`${hf}.bias`, find(new RegExp(`^${esc(tf)}/batchnorm/ReadVariableOp(/resource)?:0`)));
  };
  const dense = (tf: string, hf: string) => {
    put(`${hf}.weight`, find(new RegExp(`^${esc(tf)}/(Tensordot/Reshape_1|MatMul/ReadVariableOp):0`)), true);
    put(`${hf}.bias`, find(new RegExp(`^${esc(tf)}/BiasAdd/ReadVariableOp(/resource)?:0`)));
  };
  norm(`${b}embeddings/LayerNorm`, "bert.embeddings.LayerNorm");
  for (let l = 0; l < numLayers; l++) {
    const tf = `${b}encoder/layer_._${l}/`;
    const hf = `bert.encoder.layer.${l}.`;
    for (const n of ["query", "key", "value"]) dense(`${tf}attention/self/${n}`, `${hf}attention.self.${n}`);
    dense(`${tf}attention/output/dense`, `${hf}attention.output.dense`);
    norm(`${tf}attention/output/LayerNorm`, `${hf}attention.output.LayerNorm`);
    dense(`${tf}intermediate/dense`, `${hf}intermediate.dense`);
    dense(`${tf}output/dense`, `${hf}output.dense`);
    norm(`${tf}output/LayerNorm`, `${hf}output.LayerNorm`);
  }
  if (head === "qa_outputs") dense(`${root}/qa_outputs`, "qa_outputs");
  else {
    dense(`${b}pooler/dense`, "bert.pooler.dense");
    dense(`${root}/classifier`, "classifier");
  }
  const eps = find(new RegExp(`^${esc(b)}embeddings/LayerNorm/batchnorm/add/y`)).data[0];
  return { tensors: out, eps };
}
