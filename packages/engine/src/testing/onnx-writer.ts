/**
 * Just enough of an ONNX protobuf writer to hand onnxruntime-node a graph of standard ops:
 * ModelProto → GraphProto (nodes, raw-data initializers, typed inputs/outputs). Field numbers
 * are those of onnx/onnx.proto.
 */

import { ProtoWriter } from "@edgeformers/kernels/testing";

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
  const value = (p: ProtoWriter, v: OnnxValue) =>
    p.string(1, v.name).message(2, (t) =>
      t.message(1, (tt) =>
        tt.varint(1, v.type === "float32" ? FLOAT : INT64).message(2, (shape) => {
          for (const d of v.dims)
            shape.message(1, (dim) => (typeof d === "number" ? dim.varint(1, d) : dim.string(2, d)));
        }),
      ),
    );
  return new ProtoWriter()
    .varint(1, 8) // ir_version
    .string(2, "edgeformers-engine-tests")
    .message(7, (g) => {
      for (const [i, n] of graph.nodes.entries()) {
        g.message(1, (node) => {
          for (const input of n.inputs) node.string(1, input);
          for (const output of n.outputs) node.string(2, output);
          node.string(3, `${n.op}_${i}`).string(4, n.op);
          for (const [name, a] of Object.entries(n.attributes ?? {})) {
            node.message(5, (attr) => {
              attr.string(1, name);
              if (Array.isArray(a)) {
                for (const x of a) attr.varint(8, x);
                attr.varint(20, 7); // INTS
              } else if (typeof a === "number")
                attr.varint(3, a).varint(20, 2); // INT
              else attr.float(2, a.float).varint(20, 1); // FLOAT
            });
          }
        });
      }
      g.string(2, "graph");
      for (const init of graph.initializers) {
        g.message(5, (t) => {
          for (const d of init.dims) t.varint(1, d);
          t.varint(2, init.data instanceof Float32Array ? FLOAT : INT64)
            .string(8, init.name)
            .bytes(9, new Uint8Array(init.data.buffer, init.data.byteOffset, init.data.byteLength));
        });
      }
      for (const v of graph.inputs) g.message(11, (p) => value(p, v));
      for (const v of graph.outputs) g.message(12, (p) => value(p, v));
    })
    .message(8, (o) => o.string(1, "").varint(2, graph.opset ?? 17))
    .finish();
}
