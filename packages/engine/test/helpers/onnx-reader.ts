/**
 * Reads the float initializers of an ONNX model (ModelProto → GraphProto → TensorProto), enough to
 * take the weights out of a third party's exported graph. Field numbers are those of onnx.proto.
 */

interface Reader {
  bytes: Uint8Array;
  pos: number;
}

function varint(r: Reader): bigint {
  let result = 0n;
  let shift = 0n;
  for (;;) {
    const b = r.bytes[r.pos++];
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return result;
    shift += 7n;
  }
}

/** Calls `visit(field, wireType, value)` for every field of a message. */
function fields(bytes: Uint8Array, visit: (field: number, wire: number, value: bigint | Uint8Array) => void): void {
  const r: Reader = { bytes, pos: 0 };
  while (r.pos < bytes.length) {
    const key = Number(varint(r));
    const field = key >>> 3;
    const wire = key & 7;
    if (wire === 0) visit(field, wire, varint(r));
    else if (wire === 2) {
      const len = Number(varint(r));
      visit(field, wire, bytes.subarray(r.pos, r.pos + len));
      r.pos += len;
    } else if (wire === 5) {
      visit(field, wire, bytes.subarray(r.pos, r.pos + 4));
      r.pos += 4;
    } else if (wire === 1) {
      visit(field, wire, bytes.subarray(r.pos, r.pos + 8));
      r.pos += 8;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
}

export interface OnnxTensor {
  dims: number[];
  data: Float32Array;
  /** Read from an INT64 tensor (values converted to numbers). */
  int64?: boolean;
}

/** The FLOAT (and INT64) initializers by name. */
export function readInitializers(model: Uint8Array): Map<string, OnnxTensor> {
  const out = new Map<string, OnnxTensor>();
  fields(model, (field, wire, value) => {
    if (field !== 7 || wire !== 2) return; // ModelProto.graph
    fields(value as Uint8Array, (gField, gWire, gValue) => {
      if (gField !== 5 || gWire !== 2) return; // GraphProto.initializer
      const dims: number[] = [];
      let type = 0;
      let name = "";
      let raw: Uint8Array | null = null;
      const floats: number[] = [];
      fields(gValue as Uint8Array, (t, tw, tv) => {
        if (t === 1 && tw === 0) dims.push(Number(tv));
        else if (t === 1 && tw === 2) {
          const r: Reader = { bytes: tv as Uint8Array, pos: 0 };
          while (r.pos < r.bytes.length) dims.push(Number(varint(r)));
        } else if (t === 2) type = Number(tv);
        else if (t === 8) name = new TextDecoder().decode(tv as Uint8Array);
        else if (t === 9) raw = tv as Uint8Array;
        else if (t === 4 && tw === 2) {
          const b = tv as Uint8Array;
          const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
          for (let i = 0; i < b.byteLength; i += 4) floats.push(view.getFloat32(i, true));
        } else if (t === 4 && tw === 5) {
          const b = tv as Uint8Array;
          floats.push(new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true));
        }
      });
      const rawBytes = raw as Uint8Array | null;
      if (type === 7) {
        // INT64 (shapes and the like), as float values: enough to read a Reshape target.
        const ints = rawBytes ? new BigInt64Array(new Uint8Array(rawBytes).buffer) : new BigInt64Array(0);
        out.set(name, { dims, data: Float32Array.from(ints, Number), int64: true });
        return;
      }
      if (type === 6) {
        // INT32 (token ids of TF exports' test data).
        const ints = rawBytes ? new Int32Array(new Uint8Array(rawBytes).buffer) : new Int32Array(0);
        out.set(name, { dims, data: Float32Array.from(ints), int64: true });
        return;
      }
      if (type !== 1) return; // FLOAT only
      // Copy (a Node Buffer's slice() is a view, and raw bytes need not be 4-byte aligned).
      const data = rawBytes ? new Float32Array(new Uint8Array(rawBytes).buffer) : Float32Array.from(floats);
      out.set(name, { dims, data });
    });
  });
  return out;
}

export interface OnnxNodeInfo {
  op: string;
  inputs: string[];
  outputs: string[];
}

/** The graph's nodes in order, and every float tensor by name (initializers and Constant outputs). */
export function readGraph(model: Uint8Array): { nodes: OnnxNodeInfo[]; tensors: Map<string, OnnxTensor> } {
  const tensors = readInitializers(model);
  const nodes: OnnxNodeInfo[] = [];
  const text = (b: bigint | Uint8Array) => new TextDecoder().decode(b as Uint8Array);
  fields(model, (field, wire, value) => {
    if (field !== 7 || wire !== 2) return;
    fields(value as Uint8Array, (gField, gWire, gValue) => {
      if (gField !== 1 || gWire !== 2) return; // GraphProto.node
      const node: OnnxNodeInfo = { op: "", inputs: [], outputs: [] };
      let constant: Uint8Array | null = null;
      fields(gValue as Uint8Array, (n, _w, v) => {
        if (n === 1) node.inputs.push(text(v));
        else if (n === 2) node.outputs.push(text(v));
        else if (n === 4) node.op = text(v);
        else if (n === 5) {
          fields(v as Uint8Array, (a, _aw, av) => {
            if (a === 5) constant = av as Uint8Array; // AttributeProto.t
          });
        }
      });
      nodes.push(node);
      if (node.op === "Constant" && constant) {
        // Re-use the initializer reader on a one-initializer graph wrapper.
        const wrapped = wrap(7, wrap(5, withName(constant, node.outputs[0])));
        for (const [name, t] of readInitializers(wrapped)) tensors.set(name, t);
      }
    });
  });
  return { nodes, tensors };
}

function lengthPrefixed(field: number, body: Uint8Array): number[] {
  const out = [(field << 3) | 2];
  let len = body.length;
  do {
    let b = len & 0x7f;
    len >>>= 7;
    if (len) b |= 0x80;
    out.push(b);
  } while (len);
  return out;
}

function wrap(field: number, body: Uint8Array): Uint8Array {
  return Uint8Array.from([...lengthPrefixed(field, body), ...body]);
}

function withName(tensor: Uint8Array, name: string): Uint8Array {
  const n = new TextEncoder().encode(name);
  return Uint8Array.from([...tensor, ...lengthPrefixed(8, n), ...n]);
}

/** A standalone TensorProto file (ONNX test-case input_N.pb / output_N.pb). */
export function readTensorProto(bytes: Uint8Array): OnnxTensor & { name: string } {
  const [entry] = readInitializers(wrap(7, wrap(5, new Uint8Array(bytes))));
  return { name: entry[0], ...entry[1] };
}
