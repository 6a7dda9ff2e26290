/**
 * A BERT encoder (transformers BertModel + the BertFor* heads) as an ONNX graph of standard ops with
 * dynamic batch and sequence axes, from the same Hugging Face tensors the engine's tiny-model
 * generator writes to model.safetensors. transformers.js runs it as `onnx/model.onnx`.
 *
 * The engine's test helper (packages/engine/test/helpers/encoder-onnx.ts) builds the same graph
 * with static [batch, seq] shapes (its reshape targets and position ids are constants), which only
 * fits one input length; transformers.js feeds each call's own length, so this copy uses Reshape's
 * 0 (copy the dimension), an Unsqueezed mask and position ids from a CumSum instead.
 */

class Proto {
  private readonly bytes: number[] = [];
  private varint(value: bigint): void {
    let v = BigInt.asUintN(64, value);
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) b |= 0x80;
      this.bytes.push(b);
    } while (v !== 0n);
  }
  int(field: number, value: number | bigint): this {
    this.varint(BigInt((field << 3) | 0));
    this.varint(BigInt(value));
    return this;
  }
  float(field: number, value: number): this {
    this.varint(BigInt((field << 3) | 5));
    this.bytes.push(...new Uint8Array(new Float32Array([value]).buffer));
    return this;
  }
  raw(field: number, data: Uint8Array): this {
    this.varint(BigInt((field << 3) | 2));
    this.varint(BigInt(data.length));
    for (const b of data) this.bytes.push(b);
    return this;
  }
  str(field: number, s: string): this {
    return this.raw(field, new TextEncoder().encode(s));
  }
  msg(field: number, build: (p: Proto) => void): this {
    const inner = new Proto();
    build(inner);
    return this.raw(field, inner.done());
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

type Attribute = number | number[] | { float: number };
interface Node {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, Attribute>;
}
interface Init {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}
/** A dimension: a number, or a symbolic name ("batch", "seq"). */
interface Value {
  name: string;
  type: "float32" | "int64";
  dims: (number | string)[];
}

function encode(nodes: Node[], inits: Init[], inputs: Value[], outputs: Value[]): Uint8Array {
  const value = (p: Proto, v: Value) =>
    p.str(1, v.name).msg(2, (t) =>
      t.msg(1, (tt) =>
        tt.int(1, v.type === "float32" ? 1 : 7).msg(2, (shape) => {
          for (const d of v.dims) shape.msg(1, (dim) => (typeof d === "number" ? dim.int(1, d) : dim.str(2, d)));
        }),
      ),
    );
  return new Proto()
    .int(1, 8)
    .str(2, "edgeformers-pipelines-tests")
    .msg(7, (g) => {
      for (const [i, n] of nodes.entries()) {
        g.msg(1, (node) => {
          for (const input of n.inputs) node.str(1, input);
          for (const output of n.outputs) node.str(2, output);
          node.str(3, `${n.op}_${i}`).str(4, n.op);
          for (const [name, a] of Object.entries(n.attributes ?? {})) {
            node.msg(5, (attr) => {
              attr.str(1, name);
              if (Array.isArray(a)) {
                for (const x of a) attr.int(8, x);
                attr.int(20, 7);
              } else if (typeof a === "number") attr.int(3, a).int(20, 2);
              else attr.float(2, a.float).int(20, 1);
            });
          }
        });
      }
      g.str(2, "graph");
      for (const init of inits) {
        g.msg(5, (t) => {
          for (const d of init.dims) t.int(1, d);
          t.int(2, init.data instanceof Float32Array ? 1 : 7)
            .str(8, init.name)
            .raw(9, new Uint8Array(init.data.buffer, init.data.byteOffset, init.data.byteLength));
        });
      }
      for (const v of inputs) g.msg(11, (p) => value(p, v));
      for (const v of outputs) g.msg(12, (p) => value(p, v));
    })
    .msg(8, (o) => o.str(1, "").int(2, 17))
    .done();
}

export type BertHead =
  | "base"
  | "ForSequenceClassification"
  | "ForTokenClassification"
  | "ForQuestionAnswering"
  | "ForMaskedLM";

export interface BertSpec {
  head: BertHead;
  tensors: Record<string, { shape: readonly number[]; data: Float32Array }>;
  /** "" for a base model, "bert." inside heads. */
  prefix: string;
  hiddenSize: number;
  numHeads: number;
  numLayers: number;
  layerNormEps: number;
}

function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/** BERT (gelu = erf GELU, absolute positions 0..S-1, token types) with one head. */
export function bertOnnx(spec: BertSpec): Uint8Array {
  const { tensors, hiddenSize: h, numHeads, prefix: P } = spec;
  const hd = h / numHeads;
  const nodes: Node[] = [];
  const inits: Init[] = [];
  const seen = new Set<string>();
  let counter = 0;
  const op = (type: string, inputs: string[], attributes?: Node["attributes"]): string => {
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
  const i64 = (values: number[], dims: number[] = [values.length]) => {
    const name = `i64_${counter++}`;
    inits.push({ name, dims, data: BigInt64Array.from(values.map(BigInt)) });
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
  const gelu = (y: string) => {
    const erf = op("Erf", [op("Div", [y, scalar(Math.SQRT2)])]);
    return op("Mul", [op("Mul", [y, scalar(0.5)]), op("Add", [erf, scalar(1)])]);
  };

  // Position ids 0..S-1 for every row: cumsum(ones) - 1 along the sequence axis.
  const ones = op("Add", [op("Mul", ["input_ids", i64([0], [])]), i64([1], [])]);
  const positions = op("Sub", [op("CumSum", [ones, i64([1], [])]), i64([1], [])]);
  let x = op("Add", [
    op("Add", [
      op("Gather", [t(`${P}embeddings.word_embeddings.weight`), "input_ids"]),
      op("Gather", [t(`${P}embeddings.position_embeddings.weight`), positions]),
    ]),
    op("Gather", [t(`${P}embeddings.token_type_embeddings.weight`), "token_type_ids"]),
  ]);
  x = layerNorm(x, `${P}embeddings.LayerNorm`);

  const maskF = op("Cast", ["attention_mask"], { to: 1 });
  const maskBias = op("Unsqueeze", [op("Mul", [op("Sub", [scalar(1), maskF]), scalar(-1e9)]), i64([1, 2])]);
  const headsShape = i64([0, 0, numHeads, hd]);
  const hiddenShape = i64([0, 0, h]);
  const scale = scalar(1 / Math.sqrt(hd));
  for (let l = 0; l < spec.numLayers; l++) {
    const q0 = `${P}encoder.layer.${l}.`;
    const split = (y: string, perm: number[]) => op("Transpose", [op("Reshape", [y, headsShape])], { perm });
    const q = split(linear(x, `${q0}attention.self.query`), [0, 2, 1, 3]);
    const k = split(linear(x, `${q0}attention.self.key`), [0, 2, 3, 1]);
    const v = split(linear(x, `${q0}attention.self.value`), [0, 2, 1, 3]);
    const probs = op("Softmax", [op("Add", [op("Mul", [op("MatMul", [q, k]), scale]), maskBias])], { axis: -1 });
    const context = op("Reshape", [op("Transpose", [op("MatMul", [probs, v])], { perm: [0, 2, 1, 3] }), hiddenShape]);
    const x1 = layerNorm(
      op("Add", [linear(context, `${q0}attention.output.dense`), x]),
      `${q0}attention.output.LayerNorm`,
    );
    x = layerNorm(
      op("Add", [linear(gelu(linear(x1, `${q0}intermediate.dense`)), `${q0}output.dense`), x1]),
      `${q0}output.LayerNorm`,
    );
  }

  const outputs: Value[] = [];
  const emit = (value: string, name: string, dims: (number | string)[]) => {
    nodes.push({ op: "Identity", inputs: [value], outputs: [name] });
    outputs.push({ name, type: "float32", dims });
  };
  const rows = (name: string) => tensors[name].shape[0];
  switch (spec.head) {
    case "base":
      emit(x, "last_hidden_state", ["batch", "seq", h]);
      break;
    case "ForSequenceClassification": {
      const cls = op("Gather", [x, i64([0], [])], { axis: 1 });
      const pooled = op("Tanh", [linear(cls, `${P}pooler.dense`)]);
      emit(linear(pooled, "classifier"), "logits", ["batch", rows("classifier.weight")]);
      break;
    }
    case "ForTokenClassification":
      emit(linear(x, "classifier"), "logits", ["batch", "seq", rows("classifier.weight")]);
      break;
    case "ForQuestionAnswering": {
      const both = linear(x, "qa_outputs");
      const pick = (i: number) => op("Squeeze", [op("Slice", [both, i64([i]), i64([i + 1]), i64([2])]), i64([2])]);
      emit(pick(0), "start_logits", ["batch", "seq"]);
      emit(pick(1), "end_logits", ["batch", "seq"]);
      break;
    }
    case "ForMaskedLM": {
      const transformed = layerNorm(
        gelu(linear(x, "cls.predictions.transform.dense")),
        "cls.predictions.transform.LayerNorm",
      );
      const weight = tensors["cls.predictions.decoder.weight"]
        ? "cls.predictions.decoder.weight"
        : `${P}embeddings.word_embeddings.weight`;
      emit(op("Add", [matmulT(transformed, weight), t("cls.predictions.bias")]), "logits", [
        "batch",
        "seq",
        rows(weight),
      ]);
      break;
    }
  }
  const inputs: Value[] = ["input_ids", "attention_mask", "token_type_ids"].map((name) => ({
    name,
    type: "int64",
    dims: ["batch", "seq"],
  }));
  return encode(nodes, inits, inputs, outputs);
}
