/**
 * safetensors reader: an 8-byte little-endian header length, a JSON header describing each
 * tensor's dtype, shape and byte range, then the raw little-endian data. Everything is
 * validated up front, so a truncated or lying file fails at open time with an error naming the
 * file and the tensor, never later as a wrong number.
 */
import { DTYPE_ARRAY, DTYPES, type Dtype, type DtypeArrays, dtypeSize, isDtype, toFloat32 } from "./dtypes.js";
import { SafetensorsError } from "./errors.js";

export interface TensorInfo {
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  /** Byte range relative to the start of the data section (as in the header). */
  readonly begin: number;
  readonly end: number;
}

/** Read access to named tensors, whether from one safetensors file or several shards. */
export interface TensorStore {
  readonly names: readonly string[];
  has(name: string): boolean;
  /** The tensor's dtype and shape; throws a SafetensorsError naming it when absent. */
  info(name: string): TensorInfo;
  /** A typed-array view of the tensor's data (zero-copy when aligned). */
  view<D extends Dtype>(name: string, dtype?: D): DtypeArrays[D];
  /** The tensor as f32: zero-copy for aligned F32, converted otherwise. */
  float32(name: string): Float32Array;
}

/** Headers above this are refused before being decoded, as the reference implementation does. */
const MAX_HEADER_BYTES = 100_000_000;

// Typed arrays use the platform byte order; safetensors is little-endian. Every runtime we
// target (x86, ARM, WebAssembly) is little-endian, so views need no byte swapping. Refuse loudly
// rather than return garbage if that ever changes.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class SafetensorsFile implements TensorStore {
  readonly names: readonly string[];
  private readonly tensors: Map<string, TensorInfo>;

  private constructor(
    readonly file: string,
    private readonly bytes: Uint8Array,
    /** Absolute byte offset of the data section within `bytes`. */
    private readonly dataStart: number,
    tensors: Map<string, TensorInfo>,
    readonly metadata: Readonly<Record<string, string>>,
  ) {
    this.tensors = tensors;
    this.names = [...tensors.keys()];
  }

  /**
   * Parses and validates a safetensors file held in memory. `file` names it in errors.
   * The returned object keeps a reference to `buffer`; views share its memory.
   */
  static parse(buffer: ArrayBuffer | Uint8Array, file = "<safetensors>"): SafetensorsFile {
    if (!LITTLE_ENDIAN) throw new SafetensorsError("big-endian platforms are not supported", file);
    const bytes = buffer instanceof Uint8Array ? buffer : asBytes(buffer, file);
    const fail = (message: string, tensor?: string): never => {
      throw new SafetensorsError(message, file, tensor);
    };
    if (bytes.byteLength < 8) fail(`file is ${bytes.byteLength} bytes, too short for the 8-byte header length`);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const low = dv.getUint32(0, true);
    const high = dv.getUint32(4, true);
    const headerLength = high * 2 ** 32 + low;
    if (headerLength > MAX_HEADER_BYTES)
      fail(`header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
    if (headerLength > bytes.byteLength - 8) {
      fail(
        `header length ${headerLength} runs past the end of the file (${bytes.byteLength} bytes): truncated or not safetensors`,
      );
    }
    let header: unknown;
    try {
      header = JSON.parse(
        new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes.subarray(8, 8 + headerLength)),
      );
    } catch (e) {
      fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
    }
    if (header === null || typeof header !== "object" || Array.isArray(header)) fail("header is not a JSON object");
    const dataStart = 8 + headerLength;
    const dataLength = bytes.byteLength - dataStart;
    const tensors = new Map<string, TensorInfo>();
    let metadata: Record<string, string> = {};
    for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
      if (name === "__metadata__") {
        metadata = readMetadata(entry, fail);
        continue;
      }
      tensors.set(name, readTensorInfo(name, entry, dataLength, fail));
    }
    checkNoOverlap(tensors, fail);
    return new SafetensorsFile(file, bytes, dataStart, tensors, metadata);
  }

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  info(name: string): TensorInfo {
    const info = this.tensors.get(name);
    if (!info)
      throw new SafetensorsError(`no such tensor (the file has: ${this.names.join(", ") || "none"})`, this.file, name);
    return info;
  }

  view<D extends Dtype>(name: string, dtype?: D): DtypeArrays[D] {
    const info = this.info(name);
    if (dtype !== undefined && info.dtype !== dtype) {
      throw new SafetensorsError(`expected dtype ${dtype}, the file has ${info.dtype}`, this.file, name);
    }
    const Ctor = DTYPE_ARRAY[info.dtype];
    const size = Ctor.BYTES_PER_ELEMENT;
    const offset = this.bytes.byteOffset + this.dataStart + info.begin;
    const length = (info.end - info.begin) / size;
    if (offset % size === 0) return new Ctor(this.bytes.buffer, offset, length) as DtypeArrays[D];
    // A typed array must start at a multiple of its element size. The format does not promise
    // alignment (writers pad the header to 8 bytes, but hand-made or foreign files may not), so
    // a misaligned tensor is copied once into fresh, aligned memory.
    const copy = this.bytes.slice(this.dataStart + info.begin, this.dataStart + info.end);
    return new Ctor(copy.buffer, 0, length) as DtypeArrays[D];
  }

  float32(name: string): Float32Array {
    return toFloat32(this.info(name).dtype, this.view(name));
  }
}

/** Shorthand for {@link SafetensorsFile.parse}. */
export function parseSafetensors(buffer: ArrayBuffer | Uint8Array, file?: string): SafetensorsFile {
  return SafetensorsFile.parse(buffer, file);
}

function asBytes(buffer: unknown, file: string): Uint8Array {
  if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
  throw new TypeError(
    `${file}: expected an ArrayBuffer or Uint8Array, got ${buffer === null ? "null" : typeof buffer}`,
  );
}

type Fail = (message: string, tensor?: string) => never;

function readMetadata(entry: unknown, fail: Fail): Record<string, string> {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry))
    fail("__metadata__ must be an object of strings");
  for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
    if (typeof value !== "string") fail(`__metadata__.${key} must be a string, got ${JSON.stringify(value)}`);
  }
  return entry as Record<string, string>;
}

function readTensorInfo(name: string, entry: unknown, dataLength: number, fail: Fail): TensorInfo {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) fail("entry is not an object", name);
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  if (!isDtype(dtype)) fail(`unknown dtype ${JSON.stringify(dtype)} (supported: ${DTYPES.join(", ")})`, name);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`, name);
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1]
  ) {
    fail(`data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(offsets)}`, name);
  }
  const [begin, end] = offsets as [number, number];
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  const bytes = elements * dtypeSize(dtype);
  if (!Number.isSafeInteger(bytes) || bytes !== end - begin) {
    fail(
      `shape [${shape}] of ${dtype} needs ${bytes} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`,
      name,
    );
  }
  if (end > dataLength) {
    fail(`data_offsets end ${end} is past the end of the data section (${dataLength} bytes): file truncated?`, name);
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

function checkNoOverlap(tensors: Map<string, TensorInfo>, fail: Fail): void {
  const sorted = [...tensors.values()].filter((t) => t.end > t.begin).sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (cur.begin < prev.end) {
      fail(`bytes [${cur.begin}, ${cur.end}) overlap tensor "${prev.name}" [${prev.begin}, ${prev.end})`, cur.name);
    }
  }
}
