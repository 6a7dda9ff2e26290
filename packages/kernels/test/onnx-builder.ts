// A small ONNX protobuf *writer* for tests and the benchmark: just enough of onnx.proto to
// describe a graph of standard ops with typed inputs, outputs and raw-data initializers.
// Field numbers follow onnx/onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto,
// TensorProto, ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto).

import { ProtoWriter } from "../src/testing/protobuf.ts";

export type ElementType = "float32" | "uint8" | "int8" | "int32" | "int64";
const DATA_TYPE: Record<ElementType, number> = { float32: 1, uint8: 2, int8: 3, int32: 6, int64: 7 };

export type TensorData = Float32Array | Uint8Array | Int8Array | Int32Array | BigInt64Array;

/** Attribute values are tagged because JS numbers do not say int or float. */
export type Attribute =
  | { readonly float: number }
  | { readonly int: number }
  | { readonly ints: readonly number[] }
  | { readonly string: string };

const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, ints: 7 } as const;

interface ValueInfo {
  readonly name: string;
  readonly type: ElementType;
  /** Numbers are fixed sizes, strings are symbolic (dynamic) dimensions. */
  readonly dims: readonly (number | string)[];
}

interface Node {
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes: Readonly<Record<string, Attribute>>;
  readonly domain: string;
}

interface Initializer {
  readonly name: string;
  readonly type: ElementType;
  readonly dims: readonly number[];
  readonly data: TensorData;
}

export class GraphBuilder {
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly nodes: Node[] = [];
  private readonly initializers: Initializer[] = [];
  private counter = 0;

  constructor(private readonly name = "graph") {}

  input(name: string, type: ElementType, dims: readonly (number | string)[]): string {
    this.inputs.push({ name, type, dims });
    return name;
  }

  output(name: string, type: ElementType, dims: readonly (number | string)[]): string {
    this.outputs.push({ name, type, dims });
    return name;
  }

  /** A constant tensor; returns its name. */
  constant(type: ElementType, dims: readonly number[], data: TensorData, name = `const_${this.counter++}`): string {
    this.initializers.push({ name, type, dims, data });
    return name;
  }

  scalar(value: number): string {
    return this.constant("float32", [], new Float32Array([value]));
  }

  int64s(values: readonly number[]): string {
    return this.constant("int64", [values.length], BigInt64Array.from(values.map(BigInt)));
  }

  /** Adds a node; returns its first output name (generated when not given). */
  node(
    opType: string,
    inputs: readonly string[],
    options: { outputs?: readonly string[]; attributes?: Record<string, Attribute>; domain?: string } = {},
  ): string {
    const outputs = options.outputs ?? [`${opType.toLowerCase()}_${this.counter++}`];
    this.nodes.push({ opType, inputs, outputs, attributes: options.attributes ?? {}, domain: options.domain ?? "" });
    return outputs[0];
  }

  /** Serialises a ModelProto. Opsets: default domain plus any extra (e.g. com.microsoft). */
  build(options: { opset?: number; extraOpsets?: Record<string, number>; irVersion?: number } = {}): Uint8Array {
    const { opset = 17, extraOpsets = {}, irVersion = 8 } = options;
    const model = new ProtoWriter();
    model.varint(1, irVersion); // ir_version
    model.string(2, "edgeformers-kernels-tests"); // producer_name
    model.message(7, (g) => this.writeGraph(g)); // graph
    const opsets: [string, number][] = [["", opset], ...Object.entries(extraOpsets)];
    for (const [domain, version] of opsets) {
      model.message(8, (o) => o.string(1, domain).varint(2, version)); // opset_import
    }
    return model.finish();
  }

  private writeGraph(g: ProtoWriter): void {
    for (const node of this.nodes) g.message(1, (n) => writeNode(n, node));
    g.string(2, this.name);
    for (const init of this.initializers) g.message(5, (t) => writeTensor(t, init));
    for (const input of this.inputs) g.message(11, (v) => writeValueInfo(v, input));
    for (const output of this.outputs) g.message(12, (v) => writeValueInfo(v, output));
  }
}

function writeNode(n: ProtoWriter, node: Node): void {
  for (const input of node.inputs) n.string(1, input);
  for (const output of node.outputs) n.string(2, output);
  n.string(3, `${node.opType}_${node.outputs[0]}`);
  n.string(4, node.opType);
  for (const [name, attr] of Object.entries(node.attributes)) n.message(5, (a) => writeAttribute(a, name, attr));
  if (node.domain) n.string(7, node.domain);
}

function writeAttribute(a: ProtoWriter, name: string, attr: Attribute): void {
  a.string(1, name);
  if ("float" in attr) a.float(2, attr.float).varint(20, ATTRIBUTE_TYPE.float);
  else if ("int" in attr) a.varint(3, attr.int).varint(20, ATTRIBUTE_TYPE.int);
  else if ("string" in attr) a.string(4, attr.string).varint(20, ATTRIBUTE_TYPE.string);
  else {
    for (const v of attr.ints) a.varint(8, v);
    a.varint(20, ATTRIBUTE_TYPE.ints);
  }
}

function writeTensor(t: ProtoWriter, init: Initializer): void {
  for (const d of init.dims) t.varint(1, d); // dims
  t.varint(2, DATA_TYPE[init.type]); // data_type
  t.string(8, init.name); // name
  t.bytes(9, new Uint8Array(init.data.buffer, init.data.byteOffset, init.data.byteLength)); // raw_data (little-endian)
}

function writeValueInfo(v: ProtoWriter, info: ValueInfo): void {
  v.string(1, info.name);
  v.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.varint(1, DATA_TYPE[info.type]); // elem_type
      tensor.message(2, (shape) => {
        for (const d of info.dims)
          shape.message(1, (dim) => (typeof d === "number" ? dim.varint(1, d) : dim.string(2, d)));
      });
    }),
  );
}
