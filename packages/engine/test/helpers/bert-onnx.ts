/**
 * The BERT encoder written as an ONNX graph of standard ops (Gather, MatMul, Softmax,
 * LayerNormalization, Erf, …) from Hugging Face tensors, following the transformers BertModel
 * definition. onnxruntime-node runs it as the independent oracle for the kernels backend.
 */
import { encodeModel, type OnnxInitializer, type OnnxNode } from "./onnx.js";

export interface BertGraphSpec {
  tensors: Record<string, { shape: readonly number[]; data: Float32Array }>;
  hiddenSize: number;
  numHeads: number;
  numLayers: number;
  layerNormEps: number;
  hiddenAct: "gelu" | "gelu_new";
  batch: number;
  seq: number;
}

/** [rows, cols] row-major → [cols, rows]: PyTorch Linear weights become MatMul right operands. */
function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

export function bertOnnx(spec: BertGraphSpec): Uint8Array {
  const { tensors, hiddenSize: h, numHeads, batch: B, seq: S } = spec;
  const hd = h / numHeads;
  const nodes: OnnxNode[] = [];
  const inits: OnnxInitializer[] = [];
  let counter = 0;
  const fresh = (base: string) => `${base}_${counter++}`;
  const op = (type: string, inputs: string[], attributes?: OnnxNode["attributes"]): string => {
    const out = fresh(type);
    nodes.push({ op: type, inputs, outputs: [out], ...(attributes ? { attributes } : {}) });
    return out;
  };
  const f32 = (name: string, dims: number[], data: Float32Array) => {
    inits.push({ name, dims, data });
    return name;
  };
  const i64 = (name: string, values: number[]) => {
    inits.push({ name, dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) });
    return name;
  };
  const scalar = (name: string, v: number) => f32(name, [], new Float32Array([v]));
  const t = (name: string) => {
    const tensor = tensors[name];
    if (!tensor) throw new Error(`missing tensor ${name}`);
    return f32(name, [...tensor.shape], tensor.data);
  };
  const linear = (x: string, name: string) => {
    const w = tensors[`${name}.weight`];
    const [out, inp] = w.shape as [number, number];
    const wt = f32(`${name}.weight_T`, [inp, out], transpose(w.data, out, inp));
    return op("Add", [op("MatMul", [x, wt]), t(`${name}.bias`)]);
  };
  const layerNorm = (x: string, name: string) =>
    op("LayerNormalization", [x, t(`${name}.weight`), t(`${name}.bias`)], {
      axis: -1,
      epsilon: { float: spec.layerNormEps },
    });

  // Embeddings: word + position (0..S-1) + token type, then LayerNorm.
  const positions = i64(
    "position_ids",
    Array.from({ length: S }, (_, i) => i),
  );
  const word = op("Gather", [t("embeddings.word_embeddings.weight"), "input_ids"]);
  const pos = op("Gather", [t("embeddings.position_embeddings.weight"), positions]);
  const type = op("Gather", [t("embeddings.token_type_embeddings.weight"), "token_type_ids"]);
  let x = layerNorm(op("Add", [op("Add", [word, pos]), type]), "embeddings.LayerNorm");

  // Additive mask as in transformers: (1 - mask) × large negative, broadcast over heads and queries.
  const maskF = op("Cast", ["attention_mask"], { to: 1 });
  const maskBias = op("Reshape", [
    op("Mul", [op("Sub", [scalar("one", 1), maskF]), scalar("neg", -1e9)]),
    i64("mask_shape", [B, 1, 1, S]),
  ]);
  const headsShape = i64("heads_shape", [B, S, numHeads, hd]);
  const hiddenShape = i64("hidden_shape", [B, S, h]);
  const scale = scalar("scale", 1 / Math.sqrt(hd));

  for (let l = 0; l < spec.numLayers; l++) {
    const p = `encoder.layer.${l}.`;
    const split = (y: string, perm: number[]) => op("Transpose", [op("Reshape", [y, headsShape])], { perm });
    const q = split(linear(x, `${p}attention.self.query`), [0, 2, 1, 3]);
    const k = split(linear(x, `${p}attention.self.key`), [0, 2, 3, 1]);
    const v = split(linear(x, `${p}attention.self.value`), [0, 2, 1, 3]);
    const scores = op("Add", [op("Mul", [op("MatMul", [q, k]), scale]), maskBias]);
    const probs = op("Softmax", [scores], { axis: -1 });
    const context = op("Reshape", [op("Transpose", [op("MatMul", [probs, v])], { perm: [0, 2, 1, 3] }), hiddenShape]);
    const attended = linear(context, `${p}attention.output.dense`);
    const x1 = layerNorm(op("Add", [attended, x]), `${p}attention.output.LayerNorm`);
    const mid = linear(x1, `${p}intermediate.dense`);
    const act = spec.hiddenAct === "gelu" ? geluErf(mid) : geluTanh(mid);
    const out = linear(act, `${p}output.dense`);
    x = layerNorm(op("Add", [out, x1]), `${p}output.LayerNorm`);
  }
  nodes.push({ op: "Identity", inputs: [x], outputs: ["last_hidden_state"] });

  function geluErf(y: string): string {
    // 0.5 · y · (1 + erf(y / √2))
    const erf = op("Erf", [op("Div", [y, scalar(fresh("sqrt2"), Math.SQRT2)])]);
    return op("Mul", [op("Mul", [y, scalar(fresh("half"), 0.5)]), op("Add", [erf, scalar(fresh("one"), 1)])]);
  }
  function geluTanh(y: string): string {
    // 0.5 · y · (1 + tanh(√(2/π) · (y + 0.044715 y³)))
    const cube = op("Mul", [op("Mul", [y, y]), y]);
    const inner = op("Mul", [
      op("Add", [y, op("Mul", [cube, scalar(fresh("c"), 0.044715)])]),
      scalar(fresh("k"), Math.sqrt(2 / Math.PI)),
    ]);
    return op("Mul", [
      op("Mul", [y, scalar(fresh("half"), 0.5)]),
      op("Add", [op("Tanh", [inner]), scalar(fresh("one"), 1)]),
    ]);
  }

  return encodeModel({
    nodes,
    initializers: inits,
    inputs: [
      { name: "input_ids", type: "int64", dims: [B, S] },
      { name: "attention_mask", type: "int64", dims: [B, S] },
      { name: "token_type_ids", type: "int64", dims: [B, S] },
    ],
    outputs: [{ name: "last_hidden_state", type: "float32", dims: [B, S, h] }],
  });
}
