/**
 * safetensors writer, for test fixtures, model generators and (later) quantisation. Tensors are
 * laid out largest element size first and the header is padded with spaces to a multiple of 8,
 * so every tensor in the output can be viewed zero-copy.
 */
import { DTYPE_ARRAY, DTYPES, type Dtype, dtypeSize, isDtype, type TensorArray } from "./dtypes.js";

export interface TensorToWrite {
  dtype: Dtype;
  shape: readonly number[];
  /** The values as the dtype's typed array (Uint16Array bits for F16/BF16), or raw little-endian bytes. */
  data: TensorArray | Uint8Array;
}

export function serializeSafetensors(
  tensors: Readonly<Record<string, TensorToWrite>>,
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const entries = Object.entries(tensors).map(([name, t]) => [name, checkTensor(name, t)] as const);
  // Larger elements first keeps each tensor's offset a multiple of its own element size.
  entries.sort(([na, a], [nb, b]) => dtypeSize(b.dtype) - dtypeSize(a.dtype) || (na < nb ? -1 : na > nb ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== "string") throw new TypeError(`metadata.${key} must be a string`);
    }
    header.__metadata__ = metadata;
  }
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === "__metadata__") throw new TypeError(`"__metadata__" is reserved and cannot name a tensor`);
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + t.bytes.byteLength] };
    offset += t.bytes.byteLength;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded !== json.byteLength) {
    const withSpaces = new Uint8Array(padded).fill(0x20);
    withSpaces.set(json);
    json = withSpaces;
  }
  const out = new Uint8Array(8 + json.byteLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.byteLength), true);
  out.set(json, 8);
  let at = 8 + json.byteLength;
  for (const [, t] of entries) {
    out.set(t.bytes, at);
    at += t.bytes.byteLength;
  }
  return out;
}

function checkTensor(name: string, t: TensorToWrite): { dtype: Dtype; shape: readonly number[]; bytes: Uint8Array } {
  if (t === null || typeof t !== "object") throw new TypeError(`tensor "${name}": expected {dtype, shape, data}`);
  if (!isDtype(t.dtype))
    throw new TypeError(`tensor "${name}": unknown dtype ${JSON.stringify(t.dtype)} (supported: ${DTYPES.join(", ")})`);
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new TypeError(`tensor "${name}": shape must be an array of non-negative integers`);
  }
  if (!ArrayBuffer.isView(t.data)) throw new TypeError(`tensor "${name}": data must be a typed array`);
  // Raw bytes fit any dtype; any other typed array must be the dtype's own, so an Int32Array
  // cannot silently be written as F32 bits.
  if (!(t.data instanceof Uint8Array) && !(t.data instanceof DTYPE_ARRAY[t.dtype])) {
    throw new TypeError(
      `tensor "${name}": ${t.dtype} data must be a ${DTYPE_ARRAY[t.dtype].name} or raw Uint8Array bytes`,
    );
  }
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const expected = t.shape.reduce((a, b) => a * b, 1) * dtypeSize(t.dtype);
  if (bytes.byteLength !== expected) {
    throw new RangeError(
      `tensor "${name}": shape [${t.shape}] of ${t.dtype} needs ${expected} bytes, data has ${bytes.byteLength}`,
    );
  }
  return { dtype: t.dtype, shape: t.shape, bytes };
}
