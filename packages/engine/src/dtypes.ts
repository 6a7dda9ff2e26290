/**
 * The safetensors element types the engine reads, their sizes, and the conversions from the
 * 16-bit float formats (which have no typed array in our runtimes) to f32.
 */

export type Dtype = "F64" | "F32" | "F16" | "BF16" | "I64" | "I32" | "I8" | "U8";

/** The typed array each dtype is viewed as. F16/BF16 are kept as raw bits in a Uint16Array. */
export interface DtypeArrays {
  F64: Float64Array;
  F32: Float32Array;
  F16: Uint16Array;
  BF16: Uint16Array;
  I64: BigInt64Array;
  I32: Int32Array;
  I8: Int8Array;
  U8: Uint8Array;
}

export type TensorArray = DtypeArrays[Dtype];

interface TypedArrayConstructor<T> {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

export const DTYPE_ARRAY: { [D in Dtype]: TypedArrayConstructor<DtypeArrays[D]> } = {
  F64: Float64Array,
  F32: Float32Array,
  F16: Uint16Array,
  BF16: Uint16Array,
  I64: BigInt64Array,
  I32: Int32Array,
  I8: Int8Array,
  U8: Uint8Array,
};

export const DTYPES = Object.keys(DTYPE_ARRAY) as Dtype[];

export function isDtype(value: unknown): value is Dtype {
  return typeof value === "string" && Object.hasOwn(DTYPE_ARRAY, value);
}

export function dtypeSize(dtype: Dtype): number {
  return DTYPE_ARRAY[dtype].BYTES_PER_ELEMENT;
}

// Precomputed once: 65,536 entries (256 KiB) turn every F16 conversion into a table lookup.
let f16Table: Float32Array | null = null;

function buildF16Table(): Float32Array {
  const table = new Float32Array(65536);
  for (let bits = 0; bits < 65536; bits++) {
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >> 10) & 0x1f;
    const mantissa = bits & 0x3ff;
    if (exponent === 0)
      table[bits] = sign * mantissa * 2 ** -24; // zero and subnormals
    else if (exponent === 31) table[bits] = mantissa === 0 ? sign * Infinity : Number.NaN;
    else table[bits] = sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
  }
  return table;
}

/** One IEEE 754 binary16 value (given as its 16 bits) as a number. */
export function f16BitsToNumber(bits: number): number {
  f16Table ??= buildF16Table();
  return f16Table[bits & 0xffff];
}

/** IEEE 754 binary16 bits → f32 values (a new array). */
export function f16ToF32(bits: Uint16Array, out: Float32Array = new Float32Array(bits.length)): Float32Array {
  if (out.length !== bits.length)
    throw new RangeError(`f16ToF32: out has length ${out.length}, expected ${bits.length}`);
  f16Table ??= buildF16Table();
  const table = f16Table;
  for (let i = 0; i < bits.length; i++) out[i] = table[bits[i]];
  return out;
}

/** bfloat16 bits → f32 values (a new array). bf16 is the top half of an f32, so this is a shift. */
export function bf16ToF32(bits: Uint16Array, out: Float32Array = new Float32Array(bits.length)): Float32Array {
  if (out.length !== bits.length)
    throw new RangeError(`bf16ToF32: out has length ${out.length}, expected ${bits.length}`);
  const words = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < bits.length; i++) words[i] = bits[i] << 16;
  return out;
}

/**
 * Any tensor as f32: F32 is returned as is (no copy); every other dtype is converted into a new
 * array. I64 values beyond 2^24 lose precision, as they would in any f32 cast.
 */
export function toFloat32(dtype: Dtype, data: TensorArray): Float32Array {
  switch (dtype) {
    case "F32":
      return data as Float32Array;
    case "F16":
      return f16ToF32(data as Uint16Array);
    case "BF16":
      return bf16ToF32(data as Uint16Array);
    case "I64": {
      const src = data as BigInt64Array;
      const out = new Float32Array(src.length);
      for (let i = 0; i < src.length; i++) out[i] = Number(src[i]);
      return out;
    }
    default:
      return Float32Array.from(data as Float64Array | Int32Array | Int8Array | Uint8Array);
  }
}
