// Argument validation shared by every kernel. Errors name the argument and the sizes involved,
// and are thrown before anything is written to wasm memory.

type NumericArray = Float32Array | Int8Array | Int32Array | Uint8Array;

export function checkDim(name: string, value: number, min = 1): void {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`${name} must be an integer >= ${min}, got ${value}`);
  }
}

/**
 * Where a kernel's f32 result goes: into the caller's `out` (already checked) or a fresh array.
 * Reusing buffers keeps a forward pass from leaving a layer's worth of garbage per call, which
 * matters in a 128 MB isolate: V8 collects detached typed arrays only when it decides to.
 */
export function writeResult(view: Float32Array, out: Float32Array | undefined): Float32Array {
  if (out === undefined) return view.slice();
  out.set(view);
  return out;
}

export function checkArray<T extends NumericArray>(
  name: string,
  value: unknown,
  ctor: { new (n: number): T; name: string },
  expectedLength: number,
  shape: string,
): T {
  if (!(value instanceof ctor)) {
    const got =
      value === null || value === undefined ? String(value) : ((value as object).constructor?.name ?? typeof value);
    throw new TypeError(`${name} must be a ${ctor.name} of length ${expectedLength} (${shape}), got ${got}`);
  }
  if (value.length !== expectedLength) {
    throw new RangeError(`${name} has length ${value.length}, expected ${expectedLength} (${shape})`);
  }
  return value;
}

export function checkFinite(name: string, values: Float32Array): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new RangeError(`${name}[${i}] is ${values[i]}; all ${values.length} values must be finite`);
    }
  }
}

export function checkIndices(name: string, values: Int32Array, limit: number, what: string): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v < 0 || v >= limit) {
      throw new RangeError(`${name}[${i}] = ${v} is out of range for ${what} with ${limit} rows`);
    }
  }
}

/** Masks may be given as Uint8Array, Int32Array (HF attention_mask) or BigInt64Array-free number arrays. */
export type Mask = Uint8Array | Int32Array;

export function checkMask(name: string, value: unknown, expectedLength: number, shape: string): Mask {
  if (value instanceof Uint8Array || value instanceof Int32Array) {
    if (value.length !== expectedLength) {
      throw new RangeError(`${name} has length ${value.length}, expected ${expectedLength} (${shape})`);
    }
    return value;
  }
  throw new TypeError(`${name} must be a Uint8Array or Int32Array of length ${expectedLength} (${shape})`);
}
