/**
 * Every supported architecture × head written as an ONNX graph of standard ops, from the Hugging
 * Face tensors and following the transformers modeling code (BertModel, RobertaEmbeddings'
 * padding-aware position ids, DistilBERT's q_lin/…, ELECTRA's embeddings_project, ALBERT's shared
 * layer group, and each *For* head). onnxruntime-node runs it as the independent oracle.
 */
import type { EncoderModelType, Head } from "../architecture.js";
import { encodeModel, type OnnxInitializer, type OnnxNode, type OnnxValue } from "./onnx-writer.js";

export interface EncoderGraphSpec {
  modelType: EncoderModelType;
  head: Head;
  /** Tensors by their full checkpoint names. */
  tensors: Record<string, { shape: readonly number[]; data: Float32Array }>;
  /** The base-model name prefix of these tensors ("", "bert.", "roberta.", …). */
  prefix: string;
  hiddenSize: number;
  numHeads: number;
  numLayers: number;
  layerNormEps: number;
  hiddenAct: "gelu" | "gelu_new" | "relu";
  padTokenId: number;
  hasTokenTypes: boolean;
  /** Fixed input shape; either left out makes that axis dynamic ("batch", "seq"). */
  batch?: number;
  seq?: number;
  /** ALBERT: shared groups and layers per group (default 1 and 1). */
  numHiddenGroups?: number;
  innerGroupNum?: number;
}

function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

export function encoderOnnx(spec: EncoderGraphSpec): { model: Uint8Array; outputs: string[] } {
  const { tensors, hiddenSize: h, numHeads, modelType, head, prefix: P } = spec;
  const B: number | string = spec.batch ?? "batch";
  const S: number | string = spec.seq ?? "seq";
  const hd = h / numHeads;
  const nodes: OnnxNode[] = [];
  const inits: OnnxInitializer[] = [];
  const seen = new Set<string>();
  let counter = 0;
  const op = (type: string, inputs: string[], attributes?: OnnxNode["attributes"]): string => {
    const out = `${type}_${counter++}`;
    nodes.push({ op: type, inputs, outputs: [out], ...(attributes ? { attributes } : {}) });
    return out;
  };
  const f32 = (name: string, dims: number[], data: Float32Array) => {
    if (!seen.has(name)) {
      seen.add(name);
      inits.push({ name, dims, data });
    }
    return name;
  };
  const i64 = (name: string, values: number[]) => {
    inits.push({ name, dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) });
    return name;
  };
  const scalar = (v: number) => f32(`scalar_${counter++}`, [], new Float32Array([v]));
  const t = (name: string) => {
    const tensor = tensors[name];
    if (!tensor) throw new Error(`missing tensor ${name}`);
    return f32(name, [...tensor.shape], tensor.data);
  };
  const matmulT = (x: string, weightName: string) => {
    const w = tensors[weightName];
    if (!w) throw new Error(`missing tensor ${weightName}`);
    const [out, inp] = w.shape as [number, number];
    return op("MatMul", [x, f32(`${weightName}_T`, [inp, out], transpose(w.data, out, inp))]);
  };
  const linear = (x: string, name: string) => op("Add", [matmulT(x, `${name}.weight`), t(`${name}.bias`)]);
  const layerNorm = (x: string, name: string) =>
    op("LayerNormalization", [x, t(`${name}.weight`), t(`${name}.bias`)], {
      axis: -1,
      epsilon: { float: spec.layerNormEps },
    });
  const geluErf = (y: string) => {
    const erf = op("Erf", [op("Div", [y, scalar(Math.SQRT2)])]);
    return op("Mul", [op("Mul", [y, scalar(0.5)]), op("Add", [erf, scalar(1)])]);
  };
  const geluTanh = (y: string) => {
    const cube = op("Mul", [op("Mul", [y, y]), y]);
    const inner = op("Mul", [op("Add", [y, op("Mul", [cube, scalar(0.044715)])]), scalar(Math.sqrt(2 / Math.PI))]);
    return op("Mul", [op("Mul", [y, scalar(0.5)]), op("Add", [op("Tanh", [inner]), scalar(1)])]);
  };
  const act = (y: string, kind: "gelu" | "gelu_new" | "relu") =>
    kind === "gelu" ? geluErf(y) : kind === "relu" ? op("Relu", [y]) : geluTanh(y);

  // --- embeddings -------------------------------------------------------------------------
  let positions: string;
  if (modelType === "roberta" || modelType === "xlm-roberta") {
    // transformers create_position_ids_from_input_ids: cumsum(ids != pad) * (ids != pad) + pad
    const pad = i64("pad_id", [spec.padTokenId]);
    const notPad = op("Cast", [op("Not", [op("Equal", ["input_ids", pad])])], { to: 7 });
    const axis = i64("cumsum_axis", [1]);
    const cum = op("CumSum", [notPad, op("Squeeze", [axis, i64("squeeze_axes", [0])])]);
    positions = op("Add", [op("Mul", [cum, notPad]), pad]);
  } else if (typeof S === "number") {
    positions = i64(
      "position_ids",
      Array.from({ length: S }, (_, i) => i),
    );
  } else {
    // 0..S-1 for whatever S is: cumsum of ones along the sequence, minus one.
    const ones = op("Cast", [op("Equal", ["input_ids", "input_ids"])], { to: 7 });
    const axis = i64("position_axis", [1]);
    const one = i64("position_one", [1]);
    positions = op("Sub", [op("CumSum", [ones, op("Squeeze", [axis, i64("position_squeeze", [0])])]), one]);
  }
  let sum = op("Add", [
    op("Gather", [t(`${P}embeddings.word_embeddings.weight`), "input_ids"]),
    op("Gather", [t(`${P}embeddings.position_embeddings.weight`), positions]),
  ]);
  if (spec.hasTokenTypes) {
    sum = op("Add", [sum, op("Gather", [t(`${P}embeddings.token_type_embeddings.weight`), "token_type_ids"])]);
  }
  let x = layerNorm(sum, `${P}embeddings.LayerNorm`);
  if (modelType === "electra" && tensors[`${P}embeddings_project.weight`]) x = linear(x, `${P}embeddings_project`);
  if (modelType === "albert") x = linear(x, `${P}encoder.embedding_hidden_mapping_in`);

  // --- layers -----------------------------------------------------------------------------
  const maskF = op("Cast", ["attention_mask"], { to: 1 });
  // [B, S] → [B, 1, 1, S]; Reshape's 0 keeps an input dimension, so no shape is fixed here.
  const maskBias = op("Unsqueeze", [
    op("Mul", [op("Sub", [scalar(1), maskF]), scalar(-1e9)]),
    i64("mask_axes", [1, 2]),
  ]);
  const headsShape = i64("heads_shape", [0, 0, numHeads, hd]);
  const hiddenShape = i64("hidden_shape", [0, 0, h]);
  const scale = scalar(1 / Math.sqrt(hd));
  // The layers applied, in order. ALBERT (transformers AlbertTransformer): for each of
  // num_hidden_layers steps, group ⌊i / (layers / groups)⌋ runs all of its inner layers.
  const applied: { l: number; g: number; j: number }[] = [];
  const groups = spec.numHiddenGroups ?? 1;
  const inner = spec.innerGroupNum ?? 1;
  for (let i = 0; i < spec.numLayers; i++) {
    if (modelType !== "albert") applied.push({ l: i, g: 0, j: 0 });
    else for (let j = 0; j < inner; j++) applied.push({ l: i, g: Math.floor(i / (spec.numLayers / groups)), j });
  }
  const names = ({ l, g, j }: { l: number; g: number; j: number }) => {
    if (modelType === "distilbert") {
      const q = `${P}transformer.layer.${l}.`;
      return {
        query: `${q}attention.q_lin`,
        key: `${q}attention.k_lin`,
        value: `${q}attention.v_lin`,
        out: `${q}attention.out_lin`,
        norm1: `${q}sa_layer_norm`,
        ffn1: `${q}ffn.lin1`,
        ffn2: `${q}ffn.lin2`,
        norm2: `${q}output_layer_norm`,
      };
    }
    if (modelType === "albert") {
      const q = `${P}encoder.albert_layer_groups.${g}.albert_layers.${j}.`;
      return {
        query: `${q}attention.query`,
        key: `${q}attention.key`,
        value: `${q}attention.value`,
        out: `${q}attention.dense`,
        norm1: `${q}attention.LayerNorm`,
        ffn1: `${q}ffn`,
        ffn2: `${q}ffn_output`,
        norm2: `${q}full_layer_layer_norm`,
      };
    }
    const q = `${P}encoder.layer.${l}.`;
    return {
      query: `${q}attention.self.query`,
      key: `${q}attention.self.key`,
      value: `${q}attention.self.value`,
      out: `${q}attention.output.dense`,
      norm1: `${q}attention.output.LayerNorm`,
      ffn1: `${q}intermediate.dense`,
      ffn2: `${q}output.dense`,
      norm2: `${q}output.LayerNorm`,
    };
  };
  for (const step of applied) {
    const n = names(step);
    const split = (y: string, perm: number[]) => op("Transpose", [op("Reshape", [y, headsShape])], { perm });
    const q = split(linear(x, n.query), [0, 2, 1, 3]);
    const k = split(linear(x, n.key), [0, 2, 3, 1]);
    const v = split(linear(x, n.value), [0, 2, 1, 3]);
    const probs = op("Softmax", [op("Add", [op("Mul", [op("MatMul", [q, k]), scale]), maskBias])], { axis: -1 });
    const context = op("Reshape", [op("Transpose", [op("MatMul", [probs, v])], { perm: [0, 2, 1, 3] }), hiddenShape]);
    const x1 = layerNorm(op("Add", [linear(context, n.out), x]), n.norm1);
    x = layerNorm(op("Add", [linear(act(linear(x1, n.ffn1), spec.hiddenAct), n.ffn2), x1]), n.norm2);
  }

  // --- heads ------------------------------------------------------------------------------
  const outputs: OnnxValue[] = [];
  const emit = (value: string, name: string, dims: (number | string)[]) => {
    nodes.push({ op: "Identity", inputs: [value], outputs: [name] });
    outputs.push({ name, type: "float32", dims });
  };
  const cls = () => op("Reshape", [op("Gather", [x, i64("zero", [0])], { axis: 1 }), i64("cls_shape", [0, h])]);
  const pooler = () => op("Tanh", [linear(cls(), modelType === "albert" ? `${P}pooler` : `${P}pooler.dense`)]);
  const rows = (name: string) => tensors[name].shape[0];
  switch (head) {
    case "base":
      emit(x, "last_hidden_state", [B, S, h]);
      if (tensors[`${P}${modelType === "albert" ? "pooler" : "pooler.dense"}.weight`]) {
        emit(pooler(), "pooler_output", [B, h]);
      }
      break;
    case "ForSequenceClassification": {
      let logits: string;
      if (modelType === "bert" || modelType === "albert") logits = linear(pooler(), "classifier");
      else if (modelType === "distilbert") logits = linear(op("Relu", [linear(cls(), "pre_classifier")]), "classifier");
      else {
        const dense = linear(cls(), "classifier.dense");
        logits = linear(modelType === "electra" ? geluErf(dense) : op("Tanh", [dense]), "classifier.out_proj");
      }
      const labels = rows(tensors["classifier.weight"] ? "classifier.weight" : "classifier.out_proj.weight");
      emit(logits, "logits", [B, labels]);
      break;
    }
    case "ForTokenClassification":
      emit(linear(x, "classifier"), "logits", [B, S, rows("classifier.weight")]);
      break;
    case "ForQuestionAnswering": {
      const both = linear(x, "qa_outputs");
      emit(
        op("Squeeze", [op("Slice", [both, i64("s0", [0]), i64("e0", [1]), i64("ax", [2])]), i64("sq", [2])]),
        "start_logits",
        [B, S],
      );
      emit(
        op("Squeeze", [op("Slice", [both, i64("s1", [1]), i64("e1", [2]), i64("ax1", [2])]), i64("sq1", [2])]),
        "end_logits",
        [B, S],
      );
      break;
    }
    case "ForMaskedLM": {
      const m: Record<EncoderModelType, [string, string, string, string, "gelu" | "gelu_new" | "relu" | null]> = {
        bert: [
          "cls.predictions.transform.dense",
          "cls.predictions.transform.LayerNorm",
          "cls.predictions.decoder",
          "cls.predictions.bias",
          null,
        ],
        roberta: ["lm_head.dense", "lm_head.layer_norm", "lm_head.decoder", "lm_head.bias", "gelu"],
        "xlm-roberta": ["lm_head.dense", "lm_head.layer_norm", "lm_head.decoder", "lm_head.bias", "gelu"],
        distilbert: ["vocab_transform", "vocab_layer_norm", "vocab_projector", "vocab_projector.bias", null],
        electra: [
          "generator_predictions.dense",
          "generator_predictions.LayerNorm",
          "generator_lm_head",
          "generator_lm_head.bias",
          "gelu",
        ],
        albert: ["predictions.dense", "predictions.LayerNorm", "predictions.decoder", "predictions.bias", null],
      };
      const [dense, ln, decoder, bias, fixedAct] = m[modelType];
      const transformed = layerNorm(act(linear(x, dense), fixedAct ?? spec.hiddenAct), ln);
      const weight = tensors[`${decoder}.weight`] ? `${decoder}.weight` : `${P}embeddings.word_embeddings.weight`;
      const vocab = tensors[weight].shape[0];
      emit(op("Add", [matmulT(transformed, weight), t(bias)]), "logits", [B, S, vocab]);
      break;
    }
  }

  const inputs: OnnxValue[] = [
    { name: "input_ids", type: "int64", dims: [B, S] },
    { name: "attention_mask", type: "int64", dims: [B, S] },
  ];
  if (spec.hasTokenTypes) inputs.push({ name: "token_type_ids", type: "int64", dims: [B, S] });
  return { model: encodeModel({ nodes, initializers: inits, inputs, outputs }), outputs: outputs.map((o) => o.name) };
}
