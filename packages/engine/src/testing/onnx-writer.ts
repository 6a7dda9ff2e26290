/**
 * Just enough of an ONNX protobuf writer to hand onnxruntime-node a graph of standard ops:
 * ModelProto → GraphProto (nodes, raw-data initializers, typed inputs/outputs). Field numbers
 * are those of onnx/onnx.proto.
 */

class Proto {
  // Small writes gather in `pending`; large payloads (initializers of bert-base size, hundreds of
  // MB) are kept as chunks, since a number[] of that many bytes exceeds V8's array limit.
  private readonly chunks: Uint8Array[] = [];
  private pending: number[] = [];

  private flush(): void {
    if (this.pending.length > 0) {
      this.chunks.push(Uint8Array.from(this.pending));
      this.pending = [];
    }
  }

  private varint(value: bigint): void {
    let v = BigInt.asUintN(64, value); // negative int64s: 10-byte two's complement
    do {
      let b = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) b |= 0x80;
      this.pending.push(b);
    } while (v !== 0n);
  }

  int(field: number, value: number | bigint): this {
    this.varint(BigInt((field << 3) | 0));
    this.varint(BigInt(value));
    return this;
  }

  float(field: number, value: number): this {
    this.varint(BigInt((field << 3) | 5));
    this.pending.push(...new Uint8Array(new Float32Array([value]).buffer));
    return this;
  }

  raw(field: number, data: Uint8Array): this {
    this.varint(BigInt((field << 3) | 2));
    this.varint(BigInt(data.length));
    if (data.length < 256) for (const b of data) this.pending.push(b);
    else {
      this.flush();
      this.chunks.push(data);
    }
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
    this.flush();
    const out = new Uint8Array(this.chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

const FLOAT = 1;
const INT64 = 7;

export type Attribute = number | number[] | { float: number };

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  attributes?: Record<string, Attribute>;
}

export interface OnnxInitializer {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

/** A graph input or output; a dimension is a number or a symbolic name ("batch", "seq"). */
export interface OnnxValue {
  name: string;
  type: "float32" | "int64";
  dims: (number | string)[];
}

export function encodeModel(graph: {
  nodes: OnnxNode[];
  initializers: OnnxInitializer[];
  inputs: OnnxValue[];
  outputs: OnnxValue[];
  opset?: number;
}): Uint8Array {
  const value = (p: Proto, v: OnnxValue) =>
    p.str(1, v.name).msg(2, (t) =>
      t.msg(1, (tt) =>
        tt.int(1, v.type === "float32" ? FLOAT : INT64).msg(2, (shape) => {
          for (const d of v.dims) shape.msg(1, (dim) => (typeof d === "number" ? dim.int(1, d) : dim.str(2, d)));
        }),
      ),
    );
  return new Proto()
    .int(1, 8) // ir_version
    .str(2, "edgeformers-engine-tests")
    .msg(7, (g) => {
      for (const [i, n] of graph.nodes.entries()) {
        g.msg(1, (node) => {
          for (const input of n.inputs) node.str(1, input);
          for (const output of n.outputs) node.str(2, output);
          node.str(3, `${n.op}_${i}`).str(4, n.op);
          for (const [name, a] of Object.entries(n.attributes ?? {})) {
            node.msg(5, (attr) => {
              attr.str(1, name);
              if (Array.isArray(a)) {
                for (const x of a) attr.int(8, x);
                attr.int(20, 7); // INTS
              } else if (typeof a === "number")
                attr.int(3, a).int(20, 2); // INT
              else attr.float(2, a.float).int(20, 1); // FLOAT
            });
          }
        });
      }
      g.str(2, "graph");
      for (const init of graph.initializers) {
        g.msg(5, (t) => {
          for (const d of init.dims) t.int(1, d);
          t.int(2, init.data instanceof Float32Array ? FLOAT : INT64)
            .str(8, init.name)
            .raw(9, new Uint8Array(init.data.buffer, init.data.byteOffset, init.data.byteLength));
        });
      }
      for (const v of graph.inputs) g.msg(11, (p) => value(p, v));
      for (const v of graph.outputs) g.msg(12, (p) => value(p, v));
    })
    .msg(8, (o) => o.str(1, "").int(2, graph.opset ?? 17))
    .done();
}
